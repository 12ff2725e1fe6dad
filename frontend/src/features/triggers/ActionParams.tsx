import { useTranslation } from "react-i18next";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../../components/ui/fields";
import { FieldSelect } from "../agents/editor/FieldSelect";
import { useFieldCatalog } from "../agents/editor/useKommoCatalog";
import { useKommoUsers } from "../integrations/api";
import type { AgentEntity } from "../integrations/kommo";
import { LONG_TEXT, paramKind, SHORT_TEMPLATE } from "./actions";
import type { ActionParams as Params, ParamInfo } from "./api";
import { ChainPicker } from "./ChainPicker";
import { ListInput } from "./ListInput";
import { StagePicker } from "./StagePicker";
import { TemplateField } from "./TemplateField";

const num = (raw: string) => (raw.trim() === "" ? null : Number.isNaN(Number(raw)) ? raw : Number(raw));

/** An action's params form, from the vocabulary's list of its params; pickers where the CRM or the app has a list. */
export function ActionParams({ kind, params, infos, onChange, errors }: { kind: string; params: Params; infos: ParamInfo[]; onChange: (p: Params) => void; errors: Record<string, string> }) {
  const set = (name: string, value: unknown) => onChange({ ...params, [name]: value });
  const stage = infos.some((p) => p.type === "stage_id");
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      {stage && (
        <div className="sm:col-span-2">
          <StagePicker pipelineId={params.pipeline_id} stageId={params.stage_id} errors={errors} onChange={(pipeline_id, stage_id) => onChange({ ...params, pipeline_id, stage_id })} />
        </div>
      )}
      {infos
        .filter((p) => !(stage && (p.type === "stage_id" || p.type === "pipeline_id")))
        .map((info) => (
          <div key={info.name} className={LONG_TEXT.has(info.name) || paramKind(info) === "list" || (paramKind(info) === "template" && !SHORT_TEMPLATE.has(info.name)) ? "sm:col-span-2" : undefined}>
            <ParamField kind={kind} info={info} params={params} value={params[info.name]} onChange={(v) => set(info.name, v)} error={errors[info.name]} />
          </div>
        ))}
    </div>
  );
}

function ParamField({ kind, info, params, value, onChange, error }: { kind: string; info: ParamInfo; params: Params; value: unknown; onChange: (v: unknown) => void; error?: string }) {
  const { t } = useTranslation();
  const label = t(`triggers.params.${info.name}`, { defaultValue: info.name }) + (info.required ? "" : ` ${t("triggers.params.optional")}`);
  if (info.type === "chain_id") return <ChainPicker value={value} nullable={!info.required} onChange={onChange} error={error} />;
  if (info.type === "field_id") return <FieldParam entity={(params.entity as AgentEntity) ?? "lead"} value={value} onChange={onChange} error={error} />;
  if (info.type === "kommo_user_id") return <UserParam label={label} value={value} onChange={onChange} error={error} />;
  switch (paramKind(info)) {
    case "template":
      return <TemplateField label={label} rows={SHORT_TEMPLATE.has(info.name) ? 1 : kind === "send_message" ? 3 : 2} value={String(value ?? "")} onChange={onChange} error={error} />;
    case "list":
      if (info.choices?.length) return <ChoiceList label={label} choices={info.choices} value={Array.isArray(value) ? value : []} onChange={onChange} error={error} />;
      return (
        <div>
          <span className="block text-sm font-medium text-slate-700 dark:text-slate-300">{label}</span>
          <div className="mt-1">
            <ListInput label={label} value={Array.isArray(value) ? value : []} onChange={onChange} invalid={Boolean(error)} placeholder={t("triggers.cond.listPlaceholder")} />
          </div>
          {error && <p className="mt-1 text-sm text-red-600 dark:text-red-400">{error}</p>}
        </div>
      );
    case "choice":
      return (
        <SelectField label={label} value={String(value ?? "")} error={error} onChange={(e) => onChange(e.target.value || null)}>
          {!info.required && <option value="">—</option>}
          {info.choices!.map((c) => (
            <option key={c} value={c}>
              {t(`triggers.choices.${c}`, { defaultValue: c })}
            </option>
          ))}
        </SelectField>
      );
    case "number":
      return <TextField label={label} type="number" value={String(value ?? "")} error={error} onChange={(e) => onChange(num(e.target.value))} />;
    default:
      return LONG_TEXT.has(info.name) ? (
        <TextAreaField label={label} rows={2} value={String(value ?? "")} error={error} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <TextField label={label} value={String(value ?? "")} error={error} onChange={(e) => onChange(e.target.value)} />
      );
  }
}

function ChoiceList({ label, choices, value, onChange, error }: { label: string; choices: string[]; value: unknown[]; onChange: (v: unknown[]) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{label}</legend>
      <div className="mt-1.5 flex flex-wrap gap-x-4 gap-y-2">
        {choices.map((c) => (
          <CheckboxField key={c} label={t(`triggers.choices.${c}`, { defaultValue: c })} checked={value.includes(c)} onChange={(on) => onChange(on ? [...value, c] : value.filter((x) => x !== c))} />
        ))}
      </div>
      {error && <p className="mt-1 text-sm text-red-600 dark:text-red-400">{error}</p>}
    </fieldset>
  );
}

function FieldParam({ entity, value, onChange, error }: { entity: AgentEntity; value: unknown; onChange: (v: unknown) => void; error?: string }) {
  const { t } = useTranslation();
  const catalog = useFieldCatalog();
  if (catalog.state !== "ready") {
    return <TextField label={t("triggers.params.field_id")} type="number" value={String(value ?? "")} error={error} hint={t("triggers.params.noCatalog")} onChange={(e) => onChange(num(e.target.value))} />;
  }
  return <FieldSelect entity={entity} fields={catalog.fields} value={{ entity, field_id: typeof value === "number" ? value : null }} writable error={error} onPick={(field) => onChange(field.id)} />;
}

function UserParam({ label, value, onChange, error }: { label: string; value: unknown; onChange: (v: unknown) => void; error?: string }) {
  const { t } = useTranslation();
  const users = useKommoUsers();
  if (!users.data?.length) return <TextField label={label} type="number" value={String(value ?? "")} error={error} onChange={(e) => onChange(num(e.target.value))} />;
  return (
    <SelectField label={label} value={String(value ?? "")} error={error} onChange={(e) => onChange(num(e.target.value))}>
      <option value="">{t("triggers.params.leadResponsible")}</option>
      {users.data.map((u) => (
        <option key={u.id} value={u.id}>
          {u.name || u.email || u.id}
        </option>
      ))}
    </SelectField>
  );
}
