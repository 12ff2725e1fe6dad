import { useTranslation } from "react-i18next";
import type { KommoField } from "../../../api/types";
import { SelectField } from "../../../components/ui/fields";
import { findField, liveFields, UNWRITABLE_TYPES, type AgentEntity, type FieldRef } from "../../integrations/kommo";

/**
 * Pick one of an entity's synced (live) fields. Fields other rows already use, and (`writable`) those the
 * platform cannot write, are offered disabled. Below: the picked field's code, type and id.
 */
export function FieldSelect({
  entity,
  fields,
  value,
  taken = [],
  writable = false,
  error,
  onPick,
}: {
  entity: AgentEntity;
  fields: KommoField[];
  value: FieldRef;
  taken?: FieldRef[];
  writable?: boolean;
  error?: string;
  onPick: (field: KommoField) => void;
}) {
  const { t } = useTranslation();
  const options = liveFields(fields, entity);
  const current = findField(fields, { ...value, entity });
  const picked = current && !current.deleted_in_kommo ? current : undefined;
  const used = new Set(taken.filter((ref) => (ref.entity ?? "lead") === entity).map((ref) => findField(fields, ref)?.id));
  return (
    <div className="min-w-0">
      <SelectField
        label={t("agentEditor.kommo.field")}
        value={picked ? String(picked.id) : ""}
        error={error}
        onChange={(e) => {
          const field = options.find((f) => String(f.id) === e.target.value);
          if (field) onPick(field);
        }}
      >
        <option value="" disabled>
          {options.length ? t("agentEditor.kommo.chooseField") : t("agentEditor.kommo.noFieldsOfEntity")}
        </option>
        {options.map((field) => (
          <option key={field.id} value={field.id} disabled={used.has(field.id) || (writable && UNWRITABLE_TYPES.has(field.type))}>
            {field.name}
            {field.code ? ` (${field.code})` : ""} · {field.type}
          </option>
        ))}
      </SelectField>
      {picked && (
        <p className="mt-1 font-mono text-xs break-all text-slate-500 dark:text-slate-400">{[picked.code, picked.type, `id ${picked.id}`].filter(Boolean).join(" · ")}</p>
      )}
    </div>
  );
}
