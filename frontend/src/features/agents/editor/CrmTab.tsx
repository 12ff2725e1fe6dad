import { Plus } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { CrmField } from "../../../api/types";
import { Button } from "../../../components/ui/Button";
import { Card } from "../../../components/ui/Card";
import { FormAlert } from "../../../components/ui/fields";
import { PageSkeleton } from "../../../components/ui/states";
import { CrmFieldRow } from "./CrmFieldRow";
import { KommoNotice } from "./KommoNotice";
import { useFieldCatalog } from "./useKommoCatalog";

const NEW_ROW: CrmField = { entity: "lead", field_id: null, field_code: "", field_name: "", field_type: "", can_read: true, can_write: false };

/** The CRM fields the agent may read or write, picked from Kommo's synced fields (name, code and type come with the pick). */
export function CrmTab({ value, onChange, error }: { value: CrmField[]; onChange: (rows: CrmField[]) => void; error?: string }) {
  const { t } = useTranslation();
  const catalog = useFieldCatalog();
  if (catalog.state === "loading") return <PageSkeleton rows={2} />;
  const ready = catalog.state === "ready";
  const update = (i: number, patch: Partial<CrmField>) => onChange(value.map((r, j) => (j === i ? { ...r, ...patch } : r)));
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
            onRemove={() => onChange(value.filter((_, j) => j !== i))}
          />
        ))}
      </ul>
      {ready && (
        <Button variant="secondary" onClick={() => onChange([...value, NEW_ROW])}>
          <Plus className="size-4" aria-hidden />
          {t("agentEditor.addField")}
        </Button>
      )}
    </Card>
  );
}
