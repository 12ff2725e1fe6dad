import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { inputClass, TextAreaField } from "../../components/ui/fields";
import type { ActionKind } from "../../api/types";
import { DELAY_UNITS, newStep, STEP_KINDS, TEMPLATE_VARIABLES, type DelayUnit, type StepAction, type StepDraft } from "./chainDraft";

const ACTION_KINDS: ActionKind[] = ["add_tag", "add_note", "change_stage", "set_field", "create_task", "notify", "pause_agent", "handoff", "send_message", "start_chain", "stop_chain", "webhook"];

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
      <ActionsEditor actions={step.actions} onChange={(actions) => set("actions", actions)} errors={errors} />
    </div>
  );
}

function ActionsEditor({ actions, onChange, errors }: { actions: StepAction[]; onChange: (actions: StepAction[]) => void; errors: Record<string, string> }) {
  const { t } = useTranslation();
  const update = (index: number, action: StepAction) => onChange(actions.map((a, i) => (i === index ? action : a)));
  const paramError = (index: number) =>
    Object.entries(errors)
      .filter(([path]) => path.startsWith(`actions[${index}].`))
      .map(([path, message]) => `${path.replace(`actions[${index}].params.`, "").replace(`actions[${index}].`, "")}: ${message}`)
      .join(" ");
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t("chains.steps.actions")}</legend>
      {errors.actions && <p className="text-sm text-red-600">{errors.actions}</p>}
      {actions.map((action, index) => (
        <div key={index} className="flex flex-wrap items-start gap-2">
          <select aria-label={t("chains.steps.actionKind")} className={`${inputClass} max-w-44`} value={action.kind} onChange={(e) => update(index, { ...action, kind: e.target.value })}>
            {ACTION_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
          <div className="min-w-48 flex-1">
            <input aria-label={t("chains.steps.actionParams")} className={`${inputClass} font-mono`} value={action.params} onChange={(e) => update(index, { ...action, params: e.target.value })} />
            {paramError(index) && <p className="mt-1 text-sm text-red-600">{paramError(index)}</p>}
          </div>
          <Button variant="ghost" size="sm" aria-label={t("common.remove")} onClick={() => onChange(actions.filter((_, i) => i !== index))}>
            <Trash2 className="size-4" aria-hidden />
          </Button>
        </div>
      ))}
      <Button variant="ghost" size="sm" onClick={() => onChange([...actions, { kind: "add_tag", params: '{"tags": []}' }])}>
        <Plus className="size-4" aria-hidden />
        {t("chains.steps.addAction")}
      </Button>
    </fieldset>
  );
}
