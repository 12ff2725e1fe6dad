import { useTranslation } from "react-i18next";
import type { KommoField, UpdateRuleInput } from "../../../api/types";
import { SelectField } from "../../../components/ui/fields";
import { CHOICE_TYPES, fieldMissing, type AgentEntity } from "../../integrations/kommo";
import { FieldSelect } from "./FieldSelect";
import { MissingBadge } from "./MissingBadge";

/** What a picked synced field fills in an update rule: its id, code, type and (for a choice) its options. */
export function ruleTargetFrom(field: KommoField): Partial<UpdateRuleInput> {
  return {
    field_id: field.id,
    field_code: field.code ?? "",
    field_type: field.type,
    enum_options: CHOICE_TYPES.has(field.type) ? field.enums.map(({ id, value }) => ({ id, value })) : [],
  };
}

/**
 * The field an update rule writes, picked from Kommo's synced fields that the platform can write. A
 * saved field no live one matches is named above the picker ("deleted in Kommo" / "unknown id") and
 * stays the rule's target until another is picked. A choice field shows the options that came with it.
 */
export function RuleTargetPicker({
  rule,
  fields,
  error,
  enumError,
  onChange,
}: {
  rule: UpdateRuleInput;
  fields: KommoField[];
  error?: string;
  enumError?: string;
  onChange: (patch: Partial<UpdateRuleInput>) => void;
}) {
  const { t } = useTranslation();
  const entity = (rule.entity ?? "lead") as AgentEntity;
  const missing = fieldMissing(fields, rule);
  const options = (rule.enum_options ?? []) as Array<{ id?: number; value?: unknown }>;
  return (
    <>
      <SelectField
        label={t("agentEditor.entity")}
        value={entity}
        onChange={(e) => onChange({ entity: e.target.value as UpdateRuleInput["entity"], field_id: null, field_code: "", field_type: "text", enum_options: [] })}
      >
        <option value="lead">{t("agentEditor.lead")}</option>
        <option value="contact">{t("agentEditor.contact")}</option>
      </SelectField>
      <FieldSelect entity={entity} fields={fields} value={rule} writable error={error} onPick={(field) => onChange(ruleTargetFrom(field))} />
      {missing && (
        <p className="flex flex-wrap items-center gap-2 text-sm sm:col-span-2">
          {t("agentEditor.kommo.savedField", { name: rule.field_code || rule.field_id })}
          <MissingBadge missing={missing} id={rule.field_id || rule.field_code || "—"} />
        </p>
      )}
      {CHOICE_TYPES.has(rule.field_type ?? "") && (
        <div className="sm:col-span-2">
          <p className="text-sm font-medium text-slate-700 dark:text-slate-300">{t("agentEditor.enumOptions")}</p>
          <ul className="mt-1 flex flex-wrap gap-1" aria-label={t("agentEditor.enumOptions")}>
            {options.map((option, i) => (
              <li key={option.id ?? i} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                {String(option.value ?? "")}
              </li>
            ))}
          </ul>
          {enumError && <p className="mt-1 text-sm text-red-600 dark:text-red-400">{enumError}</p>}
        </div>
      )}
    </>
  );
}
