import { Check, Sparkles, X } from "lucide-react";
import { useTranslation } from "react-i18next";
import { cn } from "../../components/ui/cn";
import type { TestVerdict } from "./api";

const Mark = ({ holds }: { holds: boolean }) =>
  holds ? <Check className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" aria-hidden /> : <X className="mt-0.5 size-4 shrink-0 text-red-600 dark:text-red-400" aria-hidden />;

/** Each structured test and each AI judgement of a verdict: held or not, and the AI's confidence and reason. */
export function VerdictView({ verdict }: { verdict: Partial<TestVerdict> }) {
  const { t } = useTranslation();
  const tests = verdict.tests ?? [];
  const ai = verdict.ai ?? [];
  if (!tests.length && !ai.length) return <p className="text-sm text-slate-500 dark:text-slate-400">{t("triggers.verdict.nothing")}</p>;
  const yes = (holds: boolean) => (holds ? t("triggers.verdict.holds") : t("triggers.verdict.fails"));
  return (
    <div className="space-y-3">
      {tests.length > 0 && (
        <div>
          <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">{t("triggers.verdict.tests")}</h4>
          <ul className="mt-1 space-y-1">
            {tests.map((test, i) => (
              <li key={i} className="flex items-start gap-2 text-sm">
                <Mark holds={test.holds} />
                <span className="min-w-0 font-mono text-xs break-words sm:text-sm">{test.condition}</span>
                <span className="sr-only">{yes(test.holds)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {ai.length > 0 && (
        <div>
          <h4 className="flex items-center gap-1 text-xs font-semibold tracking-wide text-violet-700 uppercase dark:text-violet-300">
            <Sparkles className="size-3.5" aria-hidden />
            {t("triggers.verdict.ai")}
          </h4>
          <ul className="mt-1 space-y-2">
            {ai.map((judgement, i) => (
              <li key={i} className="rounded-md bg-violet-50/70 p-2 text-sm dark:bg-violet-950/30" data-testid="ai-judgement">
                <div className="flex flex-wrap items-start gap-x-2 gap-y-0.5">
                  <Mark holds={judgement.holds} />
                  <span className="min-w-0 flex-1 basis-40 break-words">“{judgement.condition}”</span>
                  <span className={cn("shrink-0 pl-6 text-xs sm:pl-0 font-medium tabular-nums", judgement.holds ? "text-emerald-700 dark:text-emerald-300" : "text-red-700 dark:text-red-300")}>
                    {yes(judgement.holds)} · {t("triggers.verdict.confidence", { value: Math.round(judgement.confidence * 100) })}
                  </span>
                </div>
                {judgement.reason && <p className="mt-1 pl-6 text-slate-600 dark:text-slate-300">{judgement.reason}</p>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
