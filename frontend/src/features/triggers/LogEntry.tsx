import { ChevronDown, ChevronRight } from "lucide-react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Badge, type Tone } from "../../components/ui/Badge";
import { cn } from "../../components/ui/cn";
import type { Outcome, TriggerLog } from "./api";
import { useLabels } from "./labels";
import { VerdictView } from "./VerdictView";

export const OUTCOME_TONE: Record<Outcome, Tone> = { fired: "green", not_matched: "gray", limited: "amber", failed: "red", tested: "indigo" };

/** One log row: when, what happened and why; expanded, the verdict and each action's result (failures in red). */
export function LogEntry({ log }: { log: TriggerLog }) {
  const { t, i18n } = useTranslation();
  const labels = useLabels(undefined);
  const [open, setOpen] = useState(false);
  const panel = useId();
  const failed = log.actions.some((a) => !a.ok);
  return (
    <li className="py-1">
      <button type="button" aria-expanded={open} aria-controls={panel} onClick={() => setOpen(!open)} className="flex w-full items-start gap-2 rounded-md px-2 py-2 text-left hover:bg-slate-50 dark:hover:bg-slate-800/50">
        {open ? <ChevronDown className="mt-0.5 size-4 shrink-0" aria-hidden /> : <ChevronRight className="mt-0.5 size-4 shrink-0" aria-hidden />}
        <span className="flex min-w-0 flex-1 flex-col gap-1 sm:flex-row sm:items-center sm:gap-3">
          <span className="shrink-0 text-sm text-slate-600 tabular-nums dark:text-slate-400">{new Date(log.created_at).toLocaleString(i18n.language)}</span>
          <span className="flex shrink-0 flex-wrap gap-1">
            <Badge tone={OUTCOME_TONE[log.outcome] ?? "gray"}>{t(`triggers.outcomes.${log.outcome}`, { defaultValue: log.outcome })}</Badge>
            <Badge>{t(`triggers.events.${log.event}`, { defaultValue: log.event })}</Badge>
            {failed && <Badge tone="red">{t("triggers.log.actionFailed")}</Badge>}
          </span>
          <span className="min-w-0 truncate text-sm">{log.why}</span>
        </span>
      </button>
      {open && (
        <div id={panel} className="mt-1 mb-2 space-y-4 rounded-lg bg-slate-50 p-3 text-sm sm:ml-8 dark:bg-slate-950/40">
          {log.why && <p className="break-words whitespace-pre-line">{log.why}</p>}
          <dl className="flex flex-wrap gap-x-6 gap-y-1 text-xs text-slate-500 dark:text-slate-400">
            {log.conversation !== null && (
              <div>
                <dt className="inline">{t("triggers.log.conversation")}: </dt>
                <dd className="inline">#{log.conversation}</dd>
              </div>
            )}
            {log.lead_id && (
              <div>
                <dt className="inline">{t("triggers.log.lead")}: </dt>
                <dd className="inline">{log.lead_id}</dd>
              </div>
            )}
            <div>
              <dt className="inline">{t("triggers.log.duration")}: </dt>
              <dd className="inline">{t("triggers.log.ms", { value: log.duration_ms })}</dd>
            </div>
          </dl>
          <VerdictView verdict={log.verdict} />
          {log.actions.length > 0 && (
            <div>
              <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">{t("triggers.log.actions")}</h4>
              <ol className="mt-1 space-y-1">
                {log.actions.map((action, i) => (
                  <li key={i} className={cn("rounded-md px-2 py-1", !action.ok && "bg-red-50 text-red-800 ring-1 ring-red-200 dark:bg-red-950/40 dark:text-red-200 dark:ring-red-900")}>
                    <span className="font-medium">
                      {i + 1}. {labels.action(action.kind)}
                    </span>{" "}
                    <span>{action.ok ? t("triggers.log.ok") : t("triggers.log.failed")}</span>
                    {(action.error || action.detail) && <span className="break-words"> — {action.error ?? action.detail}</span>}
                  </li>
                ))}
              </ol>
            </div>
          )}
        </div>
      )}
    </li>
  );
}
