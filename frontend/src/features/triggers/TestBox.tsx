import { FlaskConical } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "@tanstack/react-query";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/Card";
import { FormAlert, TextAreaField, TextField } from "../../components/ui/fields";
import { splitApiError } from "../../components/ui/formErrors";
import { triggerApi, type TestResult } from "./api";
import { useLabels } from "./labels";
import { VerdictView } from "./VerdictView";

/** "Test against a message": the saved trigger judged on a customer's message (nothing runs); whether it holds, why, and what would run. */
export function TestBox({ triggerId, dirty }: { triggerId: number; dirty: boolean }) {
  const { t } = useTranslation();
  const labels = useLabels(undefined);
  const [text, setText] = useState("");
  const [conversation, setConversation] = useState("");
  const [errors, setErrors] = useState<{ text?: string; conversation?: string; form: string | null }>({ form: null });
  const test = useMutation({ mutationFn: (body: { text: string; conversation: number | null }) => triggerApi.test(triggerId, body) });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return setErrors({ text: t("validation.required"), form: null });
    setErrors({ form: null });
    test.mutate(
      { text, conversation: conversation ? Number(conversation) : null },
      {
        onError: (error) => {
          const split = splitApiError(error, ["text", "conversation"] as const);
          setErrors({ ...split.fieldErrors, form: split.formError });
        },
      },
    );
  }

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card className="min-w-0">
        <form noValidate onSubmit={onSubmit} className="space-y-4" aria-label={t("triggers.test.title")}>
          <h2 className="text-base font-semibold">{t("triggers.test.title")}</h2>
          <p className="text-sm text-slate-500 dark:text-slate-400">{dirty ? t("triggers.test.unsaved") : t("triggers.test.text")}</p>
          <FormAlert>{errors.form}</FormAlert>
          <TextAreaField label={t("triggers.test.message")} rows={4} value={text} error={errors.text} placeholder={t("triggers.test.messagePlaceholder")} onChange={(e) => setText(e.target.value)} />
          <TextField label={t("triggers.test.conversation")} type="number" min={1} value={conversation} error={errors.conversation} hint={t("triggers.test.conversationHint")} onChange={(e) => setConversation(e.target.value)} />
          <Button type="submit" loading={test.isPending}>
            <FlaskConical className="size-4" aria-hidden />
            {t("triggers.test.run")}
          </Button>
        </form>
      </Card>
      <Card className="min-w-0">
        <section aria-label={t("triggers.test.result")} aria-live="polite">
          <h2 className="text-base font-semibold">{t("triggers.test.result")}</h2>
          {test.data ? <TestResultView result={test.data} actionLabel={labels.action} /> : <p className="mt-2 text-sm text-slate-500 dark:text-slate-400">{t("triggers.test.noResult")}</p>}
        </section>
      </Card>
    </div>
  );
}

function TestResultView({ result, actionLabel }: { result: TestResult; actionLabel: (kind: string) => string }) {
  const { t } = useTranslation();
  return (
    <div className="mt-3 space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={result.holds ? "green" : "gray"}>{result.holds ? t("triggers.test.holds") : t("triggers.test.notHolds")}</Badge>
        <Badge tone={result.outcome === "limited" ? "amber" : "indigo"}>{t(`triggers.outcomes.${result.outcome}`)}</Badge>
      </div>
      {result.why && <p className="text-sm break-words whitespace-pre-line">{result.why}</p>}
      <VerdictView verdict={result.verdict} />
      <div>
        <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">{t("triggers.test.wouldRun")}</h3>
        {result.actions.length ? (
          <ol className="mt-1 list-decimal space-y-1 pl-5 text-sm">
            {result.actions.map((action, i) => (
              <li key={i}>
                <span className="font-medium">{actionLabel(action.kind)}</span>
                {action.summary && <span className="text-slate-600 dark:text-slate-300"> — {action.summary}</span>}
              </li>
            ))}
          </ol>
        ) : (
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{t("triggers.test.nothingRuns")}</p>
        )}
      </div>
    </div>
  );
}
