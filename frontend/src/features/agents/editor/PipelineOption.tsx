import { X } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { KommoPipeline, PipelineItem } from "../../../api/types";
import { Badge } from "../../../components/ui/Badge";
import { StageDot } from "../../integrations/StageDot";

const box = "size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600 dark:border-slate-600 dark:bg-slate-900";

/**
 * One synced pipeline: a checkbox, and once picked its stages (none picked: every stage). A saved stage
 * the pipeline no longer has stays as "unknown stage" until removed. Stages are kept in Kommo's order.
 */
export function PipelineOption({
  pipeline,
  row,
  onToggle,
  onStages,
}: {
  pipeline: KommoPipeline;
  row: PipelineItem | undefined;
  onToggle: (on: boolean) => void;
  onStages: (ids: number[]) => void;
}) {
  const { t } = useTranslation();
  const picked = row !== undefined;
  const chosen = row?.stage_ids ?? [];
  const unknown = chosen.filter((id) => !pipeline.statuses.some((s) => s.id === id));
  const pick = (id: number, on: boolean) => {
    const next = new Set(on ? [...chosen, id] : chosen.filter((x) => x !== id));
    onStages([...pipeline.statuses.filter((s) => next.has(s.id)).map((s) => s.id), ...unknown.filter((x) => next.has(x))]);
  };
  return (
    <li className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800">
      <label className="flex flex-wrap items-center gap-2 text-sm font-medium">
        <input type="checkbox" className={box} checked={picked} onChange={(e) => onToggle(e.target.checked)} />
        {pipeline.name}
        {pipeline.is_main && <Badge tone="indigo">{t("integrations.kommo.main")}</Badge>}
        {pipeline.is_archive && <Badge>{t("integrations.kommo.archived")}</Badge>}
      </label>
      {picked && (
        <fieldset className="mt-3 sm:ml-6">
          <legend className="text-xs text-slate-500 dark:text-slate-400">
            {chosen.length === 0 ? t("agentEditor.kommo.everyStage") : t("agentEditor.kommo.stagesLegend")}
          </legend>
          <div className="mt-1.5 flex flex-wrap gap-x-4 gap-y-2">
            {pipeline.statuses.map((stage) => (
              <label key={stage.id} className="inline-flex items-center gap-1.5 text-sm">
                <input type="checkbox" className={box} checked={chosen.includes(stage.id)} onChange={(e) => pick(stage.id, e.target.checked)} />
                <StageDot color={stage.color} />
                {stage.name}
              </label>
            ))}
            {unknown.map((id) => (
              <span key={id} className="inline-flex items-center gap-1 rounded-full bg-red-50 py-0.5 pr-1 pl-2 text-xs text-red-700 ring-1 ring-red-200 dark:bg-red-950 dark:text-red-300 dark:ring-red-900">
                {t("agentEditor.kommo.unknownStage", { id })}
                <button type="button" onClick={() => pick(id, false)} aria-label={t("agentEditor.kommo.removeStage", { id })} className="rounded-full p-0.5 hover:bg-red-100 dark:hover:bg-red-900">
                  <X className="size-3" aria-hidden />
                </button>
              </span>
            ))}
          </div>
        </fieldset>
      )}
    </li>
  );
}
