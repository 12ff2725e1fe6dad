import { BookMarked, Timer } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { Message, TraceStep } from "../../api/types";
import { cn } from "../../components/ui/cn";

/** Citations of an AI reply: the passages it used (cited), not every passage retrieved. */
export function citations(trace: TraceStep[] | null | undefined) {
  const step = (trace ?? []).find((s) => s.step === "generate");
  return (step?.citations ?? []).filter((c) => c.citation);
}

type RuleItem = { rule?: string; field?: string; value?: unknown; why?: string; error?: string };

/** The update rules' step (automations/services/update_rules.py) in words: what was written, skipped, failed. */
function ruleDetails(step: TraceStep, t: (key: string, values?: Record<string, unknown>) => string): string[] {
  if (step.step !== "update_rules") return [];
  const items = (key: string) => (Array.isArray(step[key]) ? (step[key] as RuleItem[]) : []);
  const names = (key: string) => (Array.isArray(step[key]) ? (step[key] as string[]).join(", ") : "");
  return [
    ...items("applied").map((a) => t("fieldWrites.trace.applied", { field: a.field ?? a.rule, value: Array.isArray(a.value) ? a.value.join(", ") : String(a.value) })),
    ...items("failed").map((f) => t("fieldWrites.trace.failed", { rule: f.rule ?? "", error: f.error ?? "" })),
    ...items("skipped").map((s) => t("fieldWrites.trace.skipped", { rule: s.rule ?? "", why: s.why ?? "" })),
    ...(names("unchanged") ? [t("fieldWrites.trace.unchanged", { rules: names("unchanged") })] : []),
    ...(names("not_found") ? [t("fieldWrites.trace.notFound", { rules: names("not_found") })] : []),
  ];
}

const DETAIL_KEYS = ["decision", "why", "provider", "model", "substituted_for", "substitution", "input_tokens", "output_tokens", "finish_reason", "code", "reason"];

/** The processing trace of an AI reply: each step with its time, then the citations. */
export function TracePanel({ message, className }: { message: Message; className?: string }) {
  const { t } = useTranslation();
  const steps = message.trace ?? [];
  const cites = citations(steps);
  const total = steps.reduce((sum, s) => sum + (Number(s.ms) || 0), 0);
  if (!steps.length) return null;
  return (
    <aside aria-label={t("trace.label")} className={cn("rounded-lg bg-slate-50 p-3 text-xs ring-1 ring-slate-200 dark:bg-slate-950 dark:ring-slate-800", className)}>
      <p className="mb-2 flex items-center gap-1 font-semibold text-slate-700 dark:text-slate-300">
        <Timer className="size-3.5" aria-hidden />
        {t("trace.title", { ms: total.toFixed(0) })}
      </p>
      <ol className="space-y-1" data-testid="trace-steps">
        {steps.map((step, i) => {
          const details = DETAIL_KEYS.filter((k) => step[k] !== undefined && step[k] !== null && step[k] !== "").map((k) => `${k}: ${String(step[k])}`);
          details.push(...ruleDetails(step, t));
          return (
            <li key={i} className="flex flex-wrap gap-x-2 sm:flex-nowrap">
              <span className="w-24 shrink-0 font-mono text-slate-600 dark:text-slate-400">{step.step}</span>
              <span className="w-16 shrink-0 text-right whitespace-nowrap tabular-nums text-slate-500">{Number(step.ms).toFixed(1)} ms</span>
              <span className="min-w-0 break-words text-slate-500 dark:text-slate-400">{details.join(", ")}</span>
            </li>
          );
        })}
      </ol>
      {cites.length > 0 && (
        <>
          <p className="mt-3 mb-1 flex items-center gap-1 font-semibold text-slate-700 dark:text-slate-300">
            <BookMarked className="size-3.5" aria-hidden />
            {t("trace.citations")}
          </p>
          <ol className="space-y-1" data-testid="citations">
            {cites.map((c, i) => (
              <li key={`${c.chunk_id}-${i}`} className="text-slate-600 dark:text-slate-400">
                [{i + 1}] {c.citation}
              </li>
            ))}
          </ol>
        </>
      )}
    </aside>
  );
}
