import { useTranslation } from "react-i18next";
import type { PipelineItem } from "../../../api/types";
import { Card } from "../../../components/ui/Card";
import { FormAlert } from "../../../components/ui/fields";
import { PageSkeleton } from "../../../components/ui/states";
import { tidy } from "./agentDraft";
import { KommoNotice } from "./KommoNotice";
import { PipelineOption } from "./PipelineOption";
import { SavedPipelineRow } from "./SavedPipelineRow";
import { usePipelineCatalog } from "./useKommoCatalog";

/**
 * The Kommo pipelines (and stages) whose deals the agent works on; none means all, and a pipeline with
 * no stage picked means every stage of it. Picked from the synced pipelines; a saved pipeline that no
 * live one matches stays listed ("deleted in Kommo" / "unknown id") until removed. Without Kommo, the
 * saved ids are listed read-only, with remove.
 */
export function PipelinesTab({ value, onChange, error }: { value: PipelineItem[]; onChange: (rows: PipelineItem[]) => void; error?: string }) {
  const { t } = useTranslation();
  const catalog = usePipelineCatalog();
  if (catalog.state === "loading") return <PageSkeleton rows={2} />;
  const setRows = (rows: PipelineItem[]) => onChange(tidy.pipelines(rows));
  const ready = catalog.state === "ready";
  const live = catalog.pipelines.filter((p) => !p.deleted_in_kommo);
  const listed = ready ? value.filter((row) => !live.some((p) => p.id === row.pipeline_id)) : value;
  const remove = (id: number) => setRows(value.filter((row) => row.pipeline_id !== id));
  const toggle = (id: number, on: boolean) => setRows(on ? [...value, { pipeline_id: id, stage_ids: [] }] : value.filter((row) => row.pipeline_id !== id));
  const setStages = (id: number, stage_ids: number[]) => setRows(value.map((row) => (row.pipeline_id === id ? { ...row, stage_ids } : row)));
  return (
    <Card className="space-y-4">
      <p className="text-sm text-slate-500 dark:text-slate-400">{t("agentEditor.pipelinesHint")}</p>
      {catalog.state !== "ready" && <KommoNotice state={catalog.state} />}
      <FormAlert>{error}</FormAlert>
      <p className="text-sm font-medium">{value.length === 0 ? t("agentEditor.allPipelines") : t("agentEditor.kommo.somePipelines")}</p>
      {ready && (
        <ul className="space-y-3" aria-label={t("agentEditor.kommo.pipelines")}>
          {live.map((pipeline) => {
            const row = value.find((r) => r.pipeline_id === pipeline.id);
            return <PipelineOption key={pipeline.id} pipeline={pipeline} row={row} onToggle={(on) => toggle(pipeline.id, on)} onStages={(ids) => setStages(pipeline.id, ids)} />;
          })}
        </ul>
      )}
      {listed.length > 0 && (
        <div>
          {ready && <h3 className="mb-2 text-sm font-semibold">{t("agentEditor.kommo.gone")}</h3>}
          <ul className="space-y-2" aria-label={ready ? t("agentEditor.kommo.gone") : t("agentEditor.kommo.saved")}>
            {listed.map((row) => (
              <SavedPipelineRow key={row.pipeline_id} row={row} pipelines={catalog.pipelines} onRemove={() => remove(row.pipeline_id)} />
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
