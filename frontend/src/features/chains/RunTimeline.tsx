import { useTranslation } from "react-i18next";
import { Badge, type Tone } from "../../components/ui/Badge";
import type { ChainRun, TimelineStep } from "../../api/types";

const RUN_TONES: Record<string, Tone> = { active: "indigo", completed: "green", stopped: "gray", failed: "red" };
const STEP_TONES: Record<string, Tone> = { pending: "gray", claimed: "indigo", done: "green", failed: "red", cancelled: "gray" };

export function RunStatus({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Badge tone={RUN_TONES[status] ?? "gray"}>{t(`chains.runStatus.${status}`)}</Badge>;
}

/**
 * A run from start to end: who started it, then each step — when its delay ended, when it was due
 * inside working hours, what it sent and what its actions did — then how it ended and why.
 */
export function RunTimeline({ run }: { run: ChainRun }) {
  const { t, i18n } = useTranslation();
  const when = (value?: string | null) => (value ? new Date(value).toLocaleString(i18n.language, { dateStyle: "medium", timeStyle: "short" }) : "—");
  return (
    <ol className="space-y-2 border-l border-slate-200 pl-4 text-sm dark:border-slate-700" aria-label={t("chains.timeline.title")} data-testid="run-timeline">
      <li>
        <span className="font-medium">{t("chains.timeline.started", { when: when(run.started_at) })}</span>{" "}
        <span className="text-slate-500">{t("chains.timeline.by", { who: run.started_by_user ?? t(`chains.startedBy.${run.started_by}`, { defaultValue: run.started_by }) })}</span>
      </li>
      {run.timeline.map((step) => (
        <TimelineEntry key={step.id} step={step} when={when} />
      ))}
      {run.finished_at && (
        <li data-testid="run-end">
          <span className="font-medium">{t(`chains.timeline.ended.${run.status}`, { when: when(run.finished_at) })}</span>
          {run.stop_reason && <span className="text-slate-500"> — {run.stop_reason}</span>}
        </li>
      )}
    </ol>
  );
}

function TimelineEntry({ step, when }: { step: TimelineStep; when: (value?: string | null) => string }) {
  const { t } = useTranslation();
  const moved = step.due_at !== step.scheduled_for;
  return (
    <li data-testid="timeline-step" data-status={step.status}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{t("chains.steps.step", { n: step.order + 1 })}</span>
        <Badge tone={STEP_TONES[step.status ?? "pending"] ?? "gray"}>{t(`chains.stepStatus.${step.status ?? "pending"}`)}</Badge>
        <span className="text-slate-500">
          {step.status === "done" ? t("chains.timeline.sentAt", { when: when(step.finished_at) }) : t("chains.timeline.dueAt", { when: when(step.due_at) })}
        </span>
      </div>
      {moved && <p className="text-xs text-slate-500">{t("chains.timeline.moved", { when: when(step.scheduled_for) })}</p>}
      {step.message && (
        <blockquote className="mt-1 rounded bg-slate-50 px-2 py-1 whitespace-pre-wrap dark:bg-slate-800/60" data-testid="timeline-message">
          {step.message.text}
        </blockquote>
      )}
      {(step.actions as Array<{ kind: string; ok: boolean; detail?: string; error?: string }> | undefined)?.map((action, i) => (
        <p key={i} className={action.ok ? "text-xs text-slate-600 dark:text-slate-400" : "text-xs text-red-600"}>
          {action.kind}: {action.ok ? action.detail : action.error}
        </p>
      ))}
      {step.error && <p className="text-xs text-red-600">{step.error}</p>}
    </li>
  );
}
