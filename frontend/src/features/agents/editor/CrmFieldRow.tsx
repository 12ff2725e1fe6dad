import { Trash2 } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { CrmField, KommoField } from "../../../api/types";
import { Button } from "../../../components/ui/Button";
import { CheckboxField, SelectField } from "../../../components/ui/fields";
import { fieldMissing, UNWRITABLE_TYPES, type AgentEntity } from "../../integrations/kommo";
import { FieldSelect } from "./FieldSelect";
import { MissingBadge } from "./MissingBadge";

/** What a picked synced field fills in a CRM access row. */
export function crmFieldFrom(field: KommoField): Partial<CrmField> {
  return { field_id: field.id, field_code: field.code ?? "", field_name: field.name, field_type: field.type };
}

/**
 * One CRM field the agent may read or write. While Kommo can be picked from, a live (or new) row picks
 * its entity and field; a saved field no live one matches, or any row without Kommo, shows as saved
 * (name, code, type, why it is missing). Read/write toggles and remove either way.
 */
export function CrmFieldRow({
  row,
  fields,
  ready,
  taken,
  onChange,
  onRemove,
}: {
  row: CrmField;
  fields: KommoField[];
  ready: boolean;
  taken: CrmField[];
  onChange: (patch: Partial<CrmField>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const entity = (row.entity ?? "lead") as AgentEntity;
  const missing = fields.length > 0 ? fieldMissing(fields, row) : null;
  const label = row.field_name || row.field_code || (row.field_id ? `#${row.field_id}` : "—");
  const writable = !UNWRITABLE_TYPES.has(row.field_type ?? "");
  return (
    <li className="grid grid-cols-1 items-end gap-3 rounded-lg p-3 ring-1 ring-slate-200 sm:grid-cols-[9rem_minmax(0,1fr)_auto_auto] dark:ring-slate-800">
      {ready && missing === null ? (
        <>
          <SelectField
            label={t("agentEditor.entity")}
            value={entity}
            onChange={(e) => onChange({ entity: e.target.value as CrmField["entity"], field_id: null, field_code: "", field_name: "", field_type: "" })}
          >
            <option value="lead">{t("agentEditor.lead")}</option>
            <option value="contact">{t("agentEditor.contact")}</option>
          </SelectField>
          <FieldSelect entity={entity} fields={fields} value={row} taken={taken} onPick={(field) => onChange(crmFieldFrom(field))} />
        </>
      ) : (
        <>
          <p className="text-sm sm:pb-2">{t(`agentEditor.${entity}`)}</p>
          <div className="min-w-0 sm:pb-2">
            <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
              {label}
              <MissingBadge missing={missing} id={row.field_id || row.field_code || "—"} />
            </p>
            <p className="mt-0.5 font-mono text-xs break-all text-slate-500 dark:text-slate-400">
              {[row.field_code, row.field_type, row.field_id ? `id ${row.field_id}` : ""].filter(Boolean).join(" · ")}
            </p>
          </div>
        </>
      )}
      <div className="flex gap-4 sm:pb-2">
        <CheckboxField label={t("agentEditor.read")} checked={row.can_read ?? true} onChange={(v) => onChange({ can_read: v })} />
        {writable ? (
          <CheckboxField label={t("agentEditor.write")} checked={row.can_write ?? false} onChange={(v) => onChange({ can_write: v })} />
        ) : (
          <span className="text-sm text-slate-500 dark:text-slate-400">{t("agentEditor.kommo.notWritable")}</span>
        )}
      </div>
      <Button variant="ghost" className="justify-self-end" aria-label={t("agentEditor.kommo.removeField", { name: label })} onClick={onRemove}>
        <Trash2 className="size-4" aria-hidden />
      </Button>
    </li>
  );
}
