import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { inputClass, TextAreaField } from "../../components/ui/fields";
import { ActionsEditor } from "../triggers/ActionsEditor";
import { useVocabulary } from "../triggers/api";
import { DELAY_UNITS, newStep, STEP_KINDS, TEMPLATE_VARIABLES, type DelayUnit, type StepDraft } from "./chainDraft";

/** The step's errors as the actions editor reads them (`actions[0].params.tags` → `actions.0.params.tags`). */
const actionErrorsDotted = (errors: Record<string, string>) =>
  Object.fromEntries(Object.entries(errors).map(([path, message]) => [path.replace(/\[(\d+)\]/g, ".$1"), message]));

/**
 * The chain's steps in order: each waits its delay (after the start, or after the step before), then
 * sends a template, an AI-written follow-up, or only runs its actions.
 */
export function StepsEditor({ steps, onChange, errors }: { steps: StepDraft[]; onChange: (steps: StepDraft[]) => void; errors: (index: number) => Record<string, string> }) {
  const { t } = useTranslation();
  const update = (index: number, step: StepDraft) => onChange(steps.map((s, i) => (i === index ? step : s)));
  const move = (index: number, by: number) => {
    const next = [...steps];
    const [step] = next.splice(index, 1);
    next.splice(index + by, 0, step!);
    onChange(next);
  };
  return (
    <div className="space-y-3">
      <ol className="space-y-3" aria-label={t("chains.steps.title")}>
        {steps.map((step, index) => (
          <li key={step.id ?? `new-${index}`} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-testid="chain-step">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h3 className="text-sm font-semibold">{t("chains.steps.step", { n: index + 1 })}</h3>
              <div className="flex gap-1">
                <Button variant="ghost" size="sm" aria-label={t("chains.steps.up")} disabled={index === 0} onClick={() => move(index, -1)}>
                  <ArrowUp className="size-4" aria-hidden />
                </Button>
                <Button variant="ghost" size="sm" aria-label={t("chains.steps.down")} disabled={index === steps.length - 1} onClick={() => move(index, 1)}>
                  <ArrowDown className="size-4" aria-hidden />
                </Button>
                <Button variant="ghost" size="sm" aria-label={t("chains.steps.remove", { n: index + 1 })} onClick={() => onChange(steps.filter((_, i) => i !== index))}>
                  <Trash2 className="size-4" aria-hidden />
                </Button>
              </div>
            </div>
            <StepFields step={step} first={index === 0} onChange={(next) => update(index, next)} errors={errors(index)} />
          </li>
        ))}
      </ol>
      <Button variant="secondary" onClick={() => onChange([...steps, newStep()])}>
        <Plus className="size-4" aria-hidden />
        {t("chains.steps.add")}
      </Button>
    </div>
  );
}

function StepFields({ step, first, onChange, errors }: { step: StepDraft; first: boolean; onChange: (step: StepDraft) => void; errors: Record<string, string> }) {
  const { t } = useTranslation();
  const kinds = useVocabulary().data?.actions ?? [];
  const set = <K extends keyof StepDraft>(key: K, value: StepDraft[K]) => onChange({ ...step, [key]: value });
  return (
    <div className="mt-2 space-y-3">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span>{first ? t("chains.steps.afterStart") : t("chains.steps.afterPrevious")}</span>
        <span className="w-24">
          <input type="number" min={0} aria-label={t("chains.steps.delay")} className={inputClass} value={step.delay} onChange={(e) => set("delay", Number(e.target.value))} />
        </span>
        <span className="w-32">
          <select aria-label={t("chains.steps.unit")} className={inputClass} value={step.unit} onChange={(e) => set("unit", e.target.value as DelayUnit)}>
            {Object.keys(DELAY_UNITS).map((unit) => (
              <option key={unit} value={unit}>
                {t(`chains.units.${unit}`)}
              </option>
            ))}
          </select>
        </span>
        <span className="w-60">
          <select aria-label={t("chains.steps.kind")} className={inputClass} value={step.kind} onChange={(e) => set("kind", e.target.value as StepDraft["kind"])}>
            {STEP_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`chains.kinds.${kind}`)}
              </option>
            ))}
          </select>
        </span>
      </div>
      {errors.delay_minutes && <p className="text-sm text-red-600">{errors.delay_minutes}</p>}
      {step.kind === "template" && (
        <TextAreaField
          label={t("chains.steps.template")}
          rows={3}
          value={step.template}
          onChange={(e) => set("template", e.target.value)}
          error={errors.template}
          hint={t("chains.steps.variables", { list: TEMPLATE_VARIABLES.join(" ") })}
        />
      )}
      {step.kind === "ai" && (
        <TextAreaField
          label={t("chains.steps.instruction")}
          rows={2}
          value={step.ai_instruction}
          onChange={(e) => set("ai_instruction", e.target.value)}
          error={errors.ai_instruction}
          hint={t("chains.steps.instructionHint")}
        />
      )}
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-700 dark:text-slate-300">{t("chains.steps.actions")}</legend>
        <ActionsEditor value={step.actions} onChange={(actions) => set("actions", actions)} kinds={kinds} errors={actionErrorsDotted(errors)} />
      </fieldset>
    </div>
  );
}
