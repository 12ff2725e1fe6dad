import { useTranslation } from "react-i18next";
import { SelectField, TextAreaField, TextField } from "../../components/ui/fields";
import { Switch } from "../../components/ui/Switch";
import { useAgentOptions } from "../agents/api";
import type { TriggerDraft } from "./triggerDraft";

/** Name, description, agent (or every agent), priority and the on/off switch. */
export function TriggerBasics({ draft, set, errors }: { draft: TriggerDraft; set: <K extends keyof TriggerDraft>(key: K, value: TriggerDraft[K]) => void; errors: Record<string, string> }) {
  const { t } = useTranslation();
  const agents = useAgentOptions();
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextField label={t("triggers.fields.name")} value={draft.name} error={errors.name} maxLength={120} onChange={(e) => set("name", e.target.value)} />
      <SelectField label={t("triggers.fields.agent")} value={draft.agent === null ? "" : String(draft.agent)} error={errors.agent} onChange={(e) => set("agent", e.target.value ? Number(e.target.value) : null)}>
        <option value="">{t("triggers.fields.everyAgent")}</option>
        {(agents.data ?? []).map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </SelectField>
      <TextAreaField className="sm:col-span-2" label={t("triggers.fields.description")} rows={2} value={draft.description} error={errors.description} onChange={(e) => set("description", e.target.value)} />
      <TextField
        label={t("triggers.fields.priority")}
        type="number"
        value={String(draft.priority)}
        error={errors.priority}
        hint={t("triggers.fields.priorityHint")}
        onChange={(e) => set("priority", e.target.value === "" ? 0 : Number(e.target.value))}
      />
      <div className="flex items-center gap-3 sm:pt-6">
        <Switch checked={draft.is_active} label={t("triggers.fields.active")} onChange={(on) => set("is_active", on)} />
        <span className="text-sm font-medium text-slate-700 dark:text-slate-300">{draft.is_active ? t("triggers.active") : t("triggers.inactive")}</span>
        {errors.is_active && <p className="text-sm text-red-600">{errors.is_active}</p>}
      </div>
    </div>
  );
}
