import { Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Agent, CrmField } from "../../../api/types";
import { Button } from "../../../components/ui/Button";
import { Card } from "../../../components/ui/Card";
import { CheckboxField, FormAlert, SelectField, TextField } from "../../../components/ui/fields";
import { splitApiError } from "../../../components/ui/formErrors";
import { ErrorState, PageSkeleton } from "../../../components/ui/states";
import { FIELD_TYPES } from "./fieldTypes";
import { useSection } from "./useSection";

/** The CRM fields the agent may read or write. */
export function CrmTab({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const { query, put, saving } = useSection<{ fields: CrmField[] }>(agent, "crm-access");
  const [rows, setRows] = useState<CrmField[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (query.isPending) return <PageSkeleton rows={2} />;
  if (query.isError) return <ErrorState error={query.error} />;
  const value = rows ?? query.data.fields;
  const update = (i: number, patch: Partial<CrmField>) => setRows(value.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  function onSave() {
    if (value.some((r) => !r.field_id && !r.field_code)) return setError(t("agentEditor.fieldIdOrCode"));
    if (value.some((r) => !r.field_name?.trim())) return setError(t("agentEditor.fieldNameRequired"));
    setError(null);
    put({ fields: value }, (e) => setError(splitApiError(e, []).formError));
  }
  return (
    <Card className="space-y-4">
      <p className="text-sm text-slate-500 dark:text-slate-400">{t("agentEditor.crmHint")}</p>
      <FormAlert>{error}</FormAlert>
      {value.length === 0 && <p className="text-sm text-slate-400">{t("agentEditor.noCrmFields")}</p>}
      {value.map((row, i) => (
        <div key={i} className="grid items-end gap-2 rounded-lg p-3 ring-1 ring-slate-200 sm:grid-cols-6 dark:ring-slate-800">
          <SelectField label={t("agentEditor.entity")} value={row.entity ?? "lead"} onChange={(e) => update(i, { entity: e.target.value as CrmField["entity"] })}>
            <option value="lead">{t("agentEditor.lead")}</option>
            <option value="contact">{t("agentEditor.contact")}</option>
          </SelectField>
          <TextField label={t("agentEditor.fieldName")} value={row.field_name ?? ""} onChange={(e) => update(i, { field_name: e.target.value })} />
          <TextField label={t("agentEditor.fieldCode")} value={row.field_code ?? ""} onChange={(e) => update(i, { field_code: e.target.value })} />
          <SelectField label={t("agentEditor.fieldType")} value={row.field_type ?? "text"} onChange={(e) => update(i, { field_type: e.target.value })}>
            {FIELD_TYPES.map((ft) => (
              <option key={ft}>{ft}</option>
            ))}
          </SelectField>
          <div className="flex gap-3 pb-2">
            <CheckboxField label={t("agentEditor.read")} checked={row.can_read ?? true} onChange={(v) => update(i, { can_read: v })} />
            <CheckboxField label={t("agentEditor.write")} checked={row.can_write ?? false} onChange={(v) => update(i, { can_write: v })} />
          </div>
          <Button variant="ghost" aria-label={t("common.remove")} onClick={() => setRows(value.filter((_, j) => j !== i))}>
            <Trash2 className="size-4" aria-hidden />
          </Button>
        </div>
      ))}
      <div className="flex justify-between">
        <Button variant="secondary" onClick={() => setRows([...value, { entity: "lead", field_name: "", field_code: "", field_type: "text", can_read: true, can_write: false }])}>
          <Plus className="size-4" aria-hidden />
          {t("agentEditor.addField")}
        </Button>
        <Button loading={saving} onClick={onSave}>
          {t("common.save")}
        </Button>
      </div>
    </Card>
  );
}
