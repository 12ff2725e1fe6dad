import { useTranslation } from "react-i18next";
import { Badge } from "../../components/ui/Badge";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useKommoPipelines } from "./api";
import { StageDot } from "./StageDot";

/** The synced pipelines, each with its stages (colour dot, name, id). */
export function PipelineBrowser() {
  const { t } = useTranslation();
  const pipelines = useKommoPipelines();
  if (pipelines.isPending) return <PageSkeleton rows={2} />;
  if (pipelines.isError) return <ErrorState error={pipelines.error} onRetry={() => void pipelines.refetch()} />;
  if (pipelines.data.length === 0) return <p className="text-sm text-slate-500 dark:text-slate-400">{t("integrations.kommo.nothingSynced")}</p>;
  return (
    <ul className="space-y-3">
      {pipelines.data.map((pipeline) => (
        <li key={pipeline.id} className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{pipeline.name}</span>
            {pipeline.is_main && <Badge tone="indigo">{t("integrations.kommo.main")}</Badge>}
            {pipeline.is_archive && <Badge>{t("integrations.kommo.archived")}</Badge>}
            {pipeline.deleted_in_kommo && <Badge tone="amber">{t("integrations.kommo.deletedInKommo")}</Badge>}
            <span className="ml-auto font-mono text-xs text-slate-500 dark:text-slate-400">#{pipeline.id}</span>
          </div>
          <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-label={t("integrations.kommo.stagesOf", { pipeline: pipeline.name })}>
            {pipeline.statuses.map((stage) => (
              <li key={stage.id} className="inline-flex items-center gap-1.5">
                <StageDot color={stage.color} />
                {stage.name}
                <span className="font-mono text-xs text-slate-400">{stage.id}</span>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
