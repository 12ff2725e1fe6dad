import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { inputClass } from "../../components/ui/fields";
import { EmptyState, ErrorState, PageSkeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { chainApi, useChainMutation, useChainRuns } from "./api";
import { RunStatus, RunTimeline } from "./RunTimeline";

const STATUSES = ["", "active", "completed", "stopped", "failed"];

/** The chain's runs, newest first; each opens to its timeline, an active one can be stopped. */
export function RunsTab({ chainId }: { chainId: number }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const [status, setStatus] = useState("");
  const [open, setOpen] = useState<number | null>(null);
  const runs = useChainRuns(chainId, status);
  const stop = useChainMutation((runId: number) => chainApi.stopRun(chainId, runId));
  return (
    <div className="space-y-3">
      <select aria-label={t("chains.runs.filter")} className={`${inputClass} max-w-48`} value={status} onChange={(e) => setStatus(e.target.value)}>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s ? t(`chains.runStatus.${s}`) : t("chains.runs.all")}
          </option>
        ))}
      </select>
      {runs.isPending ? (
        <PageSkeleton rows={2} />
      ) : runs.isError ? (
        <ErrorState error={runs.error} onRetry={() => void runs.refetch()} />
      ) : runs.data.results.length === 0 ? (
        <EmptyState title={t("chains.runs.empty")} />
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {runs.data.results.map((run) => (
            <li key={run.id} className="p-3" data-testid="chain-run">
              <div className="flex flex-wrap items-center gap-3">
                <button type="button" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400" aria-expanded={open === run.id} onClick={() => setOpen(open === run.id ? null : run.id)}>
                  {run.conversation.customer_name || t("chains.runs.conversation", { id: run.conversation.id })}
                </button>
                <RunStatus status={run.status ?? "active"} />
                <span className="text-sm text-slate-500">{new Date(run.started_at).toLocaleString(i18n.language)}</span>
                {run.status === "active" && (
                  <Button variant="ghost" size="sm" loading={stop.isPending && stop.variables === run.id} onClick={() => stop.mutate(run.id, { onError: toast.error })}>
                    {t("chains.runs.stop")}
                  </Button>
                )}
              </div>
              {open === run.id && (
                <div className="mt-3">
                  <RunTimeline run={run} />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
