import { Plus } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Agent, CrmField } from "../../../api/types";
import { Button } from "../../../components/ui/Button";
import { Card } from "../../../components/ui/Card";
import { FormAlert } from "../../../components/ui/fields";
import { splitApiError } from "../../../components/ui/formErrors";
import { ErrorState, PageSkeleton } from "../../../components/ui/states";
import { CrmFieldRow } from "./CrmFieldRow";
import { KommoNotice } from "./KommoNotice";
import { useFieldCatalog } from "./useKommoCatalog";
import { useSection } from "./useSection";

const NEW_ROW: CrmField = { entity: "lead", field_id: null, field_code: "", field_name: "", field_type: "", can_read: true, can_write: false };

/** The CRM fields the agent may read or write, picked from Kommo's synced fields (name, code and type come with the pick). */
export function CrmTab({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const { query, put, saving } = useSection<{ fields: CrmField[] }>(agent, "crm-access");
  const catalog = useFieldCatalog();
  const [rows, setRows] = useState<CrmField[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (query.isPending || catalog.state === "loading") return <PageSkeleton rows={2} />;
  if (query.isError) return <ErrorState error={query.error} />;
  const value = rows ?? query.data.fields;
  const ready = catalog.state === "ready";
  const update = (i: number, patch: Partial<CrmField>) => setRows(value.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  function onSave() {
    if (value.some((r) => !r.field_id && !r.field_code?.trim())) return setError(t("agentEditor.kommo.pickEveryField"));
    setError(null);
    put({ fields: value }, (e) => setError(splitApiError(e, []).formError));
  }
  return (
    <Card className="space-y-4">
      <p className="text-sm text-slate-500 dark:text-slate-400">{t("agentEditor.crmHint")}</p>
      {catalog.state !== "ready" && <KommoNotice state={catalog.state} />}
      <FormAlert>{error}</FormAlert>
      {value.length === 0 && <p className="text-sm text-slate-400">{t("agentEditor.noCrmFields")}</p>}
      <ul className="space-y-3">
        {value.map((row, i) => (
          <CrmFieldRow
            key={i}
            row={row}
            fields={catalog.fields}
            ready={ready}
            taken={value.filter((_, j) => j !== i)}
            onChange={(patch) => update(i, patch)}
            onRemove={() => setRows(value.filter((_, j) => j !== i))}
          />
        ))}
      </ul>
      <div className="flex flex-wrap justify-between gap-2">
        {ready ? (
          <Button variant="secondary" onClick={() => setRows([...value, NEW_ROW])}>
            <Plus className="size-4" aria-hidden />
            {t("agentEditor.addField")}
          </Button>
        ) : (
          <span />
        )}
        <Button loading={saving} onClick={onSave}>
          {t("common.save")}
        </Button>
      </div>
    </Card>
  );
}
