/**
 * The chain editor's draft: the chain's fields and its steps as the editor holds them (a delay as a
 * number and a unit), what one Save sends (the whole chain: the steps are replaced together), and
 * where the API's errors (keyed by JSON path: `steps[1].template`) are shown.
 */
import { ApiError, errorMessage } from "../../api/problem";
import type { Chain, ChainInput, ChainStartOn, ChainStepKind, ChainStopOn } from "../../api/types";
import type { WorkingHours } from "../agents/agentForm";
import type { TriggerAction } from "../triggers/api";

export const DELAY_UNITS = { minutes: 1, hours: 60, days: 1440 } as const;
export type DelayUnit = keyof typeof DELAY_UNITS;
export const STEP_KINDS: ChainStepKind[] = ["template", "ai", "actions"];
export const START_ON: ChainStartOn[] = ["manual", "ai_reply", "stage"];
export const STOP_ON: ChainStopOn[] = ["customer_replied", "human_took_over", "stage_changed", "conversation_closed", "trigger_fired"];
export const TEMPLATE_VARIABLES = ["{customer_name}", "{agent_name}", "{lead.name}", "{lead.price}", "{lead.stage}", "{lead.<field>}", "{contact.phone}", "{contact.email}", "{contact.<field>}"];

/** A step's action: the same kinds and parameters as a trigger's (one vocabulary, one editor). */
export type StepAction = TriggerAction;
export interface StepDraft {
  id?: number;
  delay: number;
  unit: DelayUnit;
  kind: ChainStepKind;
  template: string;
  ai_instruction: string;
  actions: StepAction[];
}
export interface ChainDraft {
  name: string;
  description: string;
  is_active: boolean;
  start_on: ChainStartOn;
  start_pipeline_id: number | null;
  start_stage_id: number | null;
  stop_on: ChainStopOn[];
  working_hours: WorkingHours;
  holidays: string[];
  steps: StepDraft[];
}

/** The largest unit that divides the delay: 1440 → 1 day, 90 → 90 minutes. */
export function delayParts(minutes: number): { delay: number; unit: DelayUnit } {
  if (minutes > 0 && minutes % DELAY_UNITS.days === 0) return { delay: minutes / DELAY_UNITS.days, unit: "days" };
  if (minutes > 0 && minutes % DELAY_UNITS.hours === 0) return { delay: minutes / DELAY_UNITS.hours, unit: "hours" };
  return { delay: minutes, unit: "minutes" };
}

export const delayMinutes = (step: Pick<StepDraft, "delay" | "unit">) => Math.round(step.delay * DELAY_UNITS[step.unit]);

export const newStep = (): StepDraft => ({ delay: 1, unit: "days", kind: "template", template: "", ai_instruction: "", actions: [] });

export const NEW_CHAIN: ChainDraft = {
  name: "",
  description: "",
  is_active: true,
  start_on: "manual",
  start_pipeline_id: null,
  start_stage_id: null,
  stop_on: ["customer_replied", "human_took_over"],
  working_hours: {},
  holidays: [],
  steps: [newStep()],
};

export function draftFromChain(chain: Chain): ChainDraft {
  return {
    name: chain.name,
    description: chain.description ?? "",
    is_active: chain.is_active ?? true,
    start_on: chain.start_on ?? "manual",
    start_pipeline_id: chain.start_pipeline_id ?? null,
    start_stage_id: chain.start_stage_id ?? null,
    stop_on: chain.stop_on ?? [],
    working_hours: (chain.working_hours ?? {}) as WorkingHours,
    holidays: chain.holidays ?? [],
    steps: chain.steps.map((step) => ({
      id: step.id,
      ...delayParts(step.delay_minutes ?? 0),
      kind: step.kind ?? "template",
      template: step.template ?? "",
      ai_instruction: step.ai_instruction ?? "",
      actions: step.actions.map((action) => ({ kind: action.kind, params: (action.params ?? {}) as Record<string, unknown> })),
    })),
  };
}

/** The body of a Save. */
export function chainInput(draft: ChainDraft): ChainInput {
  return {
    ...draft,
    start_pipeline_id: draft.start_on === "stage" ? draft.start_pipeline_id : null,
    start_stage_id: draft.start_on === "stage" ? draft.start_stage_id : null,
    steps: draft.steps.map((step) => ({
      ...(step.id ? { id: step.id } : {}),
      delay_minutes: delayMinutes(step),
      kind: step.kind,
      template: step.kind === "template" ? step.template : "",
      ai_instruction: step.kind === "ai" ? step.ai_instruction : "",
      actions: step.actions.map((action) => ({ kind: action.kind, params: action.params })),
    })),
  };
}

/** Errors by the API's JSON paths (`name`, `steps[0].template`), and one for the form. */
export interface ChainErrors {
  paths: Record<string, string>;
  form: string | null;
}
export const NO_ERRORS: ChainErrors = { paths: {}, form: null };

type T = (key: string, values?: Record<string, unknown>) => string;

/** What is wrong before sending (the API checks the rest, and stays the authority). */
export function localErrors(draft: ChainDraft, t: T): ChainErrors {
  const paths: Record<string, string> = {};
  if (!draft.name.trim()) paths.name = t("validation.required");
  if (draft.steps.length === 0) paths.steps = t("chains.errors.noSteps");
  draft.steps.forEach((step, i) => {
    if (!(step.delay >= 0)) paths[`steps[${i}].delay_minutes`] = t("chains.errors.delay");
    if (step.kind === "template" && !step.template.trim()) paths[`steps[${i}].template`] = t("chains.errors.template");
    if (step.kind === "ai" && !step.ai_instruction.trim()) paths[`steps[${i}].ai_instruction`] = t("chains.errors.instruction");
  });
  return { paths, form: Object.keys(paths).length ? t("chains.errors.fix") : null };
}

/** The API's refusal: each error at its path ("holidays.0" is shown at "holidays"). */
export function apiErrors(error: unknown): ChainErrors {
  if (!(error instanceof ApiError)) return { paths: {}, form: errorMessage(error) };
  const paths: Record<string, string> = {};
  for (const [path, messages] of Object.entries(error.fieldErrors)) {
    const key = path.replace(/^holidays\.\d+$/, "holidays").replace(/^working_hours\..*$/, "working_hours");
    if (messages[0] && !paths[key]) paths[key] = messages[0];
  }
  return { paths, form: error.detail };
}

/** The errors of one step (`steps[2].template` → `template`), for its card. */
export function stepErrors(errors: ChainErrors, index: number): Record<string, string> {
  const prefix = `steps[${index}].`;
  return Object.fromEntries(Object.entries(errors.paths).filter(([path]) => path.startsWith(prefix)).map(([path, message]) => [path.slice(prefix.length), message]));
}
