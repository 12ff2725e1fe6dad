import { Trash2 } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { KommoPipeline, PipelineItem } from "../../../api/types";
import { Button } from "../../../components/ui/Button";
import { pipelineMissing } from "../../integrations/kommo";
import { MissingBadge } from "./MissingBadge";

/**
 * A saved pipeline shown as it is (no live synced pipeline to pick it from, or Kommo unavailable): its
 * name and stages where the synced data still knows them, why it is missing, and remove.
 */
export function SavedPipelineRow({ row, pipelines, onRemove }: { row: PipelineItem; pipelines: KommoPipeline[]; onRemove: () => void }) {
  const { t } = useTranslation();
  const pipeline = pipelines.find((p) => p.id === row.pipeline_id);
  const name = pipeline?.name ?? t("agentEditor.kommo.pipelineN", { id: row.pipeline_id });
  const stages = row.stage_ids ?? [];
  const stageName = (id: number) => pipeline?.statuses.find((s) => s.id === id)?.name ?? t("agentEditor.kommo.stageN", { id });
  return (
    <li className="flex items-center gap-3 rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800">
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
          {name}
          {pipelines.length > 0 && <MissingBadge missing={pipelineMissing(pipelines, row.pipeline_id)} id={row.pipeline_id} />}
        </p>
        <p className="mt-0.5 text-sm break-words text-slate-500 dark:text-slate-400">
          {stages.length === 0 ? t("agentEditor.kommo.everyStage") : stages.map(stageName).join(", ")}
        </p>
      </div>
      <Button variant="ghost" size="sm" aria-label={t("agentEditor.kommo.removePipeline", { name })} onClick={onRemove}>
        <Trash2 className="size-4" aria-hidden />
      </Button>
    </li>
  );
}
