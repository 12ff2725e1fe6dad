import { ApiError, errorMessage } from "../../api/problem";
import type { LimitPeriod, LimitScope, Trigger, TriggerAction, TriggerInput } from "./api";
import { errorsByPath, rootGroup, type Group } from "./condition";

/** What the editor edits: the trigger's writable fields (each with its value), its condition as a root group. */
export interface TriggerDraft {
  name: string;
  description: string;
  is_active: boolean;
  priority: number;
  agent: number | null;
  condition: Group;
  stop_ai_reply: boolean;
  run_limit: number | null;
  run_limit_scope: LimitScope;
  run_limit_period: LimitPeriod;
  actions: TriggerAction[];
}

export const NEW_TRIGGER: TriggerDraft = {
  name: "",
  description: "",
  is_active: true,
  priority: 100,
  agent: null,
  condition: { all: [] },
  stop_ai_reply: false,
  run_limit: null,
  run_limit_scope: "conversation",
  run_limit_period: "ever",
  actions: [],
};

/** The fields shown beside their inputs (the condition's and the actions' errors go to their nodes). */
export const FORM_FIELDS = ["name", "description", "is_active", "priority", "agent", "stop_ai_reply", "run_limit", "run_limit_scope", "run_limit_period"] as const;

export function draftFromServer(trigger: Trigger): TriggerDraft {
  const d = NEW_TRIGGER;
  return {
    name: trigger.name,
    description: trigger.description ?? d.description,
    is_active: trigger.is_active ?? d.is_active,
    priority: trigger.priority ?? d.priority,
    agent: trigger.agent ?? null,
    condition: rootGroup(trigger.condition),
    stop_ai_reply: trigger.stop_ai_reply ?? d.stop_ai_reply,
    run_limit: trigger.run_limit ?? null,
    run_limit_scope: trigger.run_limit_scope ?? d.run_limit_scope,
    run_limit_period: trigger.run_limit_period ?? d.run_limit_period,
    actions: trigger.actions.map((a) => ({ kind: a.kind, params: (a.params ?? {}) as TriggerAction["params"] })),
  };
}

/** A new trigger is sent whole; a saved one only with what changed (the actions, when sent, replace the list). */
export function saveBody(draft: TriggerDraft, changed: Array<keyof TriggerDraft> | null): Partial<TriggerInput> {
  if (changed === null) return draft;
  return Object.fromEntries(changed.map((key) => [key, draft[key]]));
}

/** Problems found before sending. */
export function localErrors(draft: TriggerDraft, t: (key: string) => string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors.name = t("validation.required");
  return errors;
}

/** The API's refusal: the errors by dotted path (each shown where it belongs), and what no field shows. */
export function saveErrors(error: unknown): { paths: Record<string, string>; form: string | null } {
  if (!(error instanceof ApiError) || Object.keys(error.fieldErrors).length === 0) return { paths: {}, form: errorMessage(error) };
  const paths = errorsByPath(error.fieldErrors);
  const placed = (key: string) => (FORM_FIELDS as readonly string[]).includes(key) || /^(condition|actions)(\.|$)/.test(key);
  const rest = Object.entries(paths)
    .filter(([key]) => !placed(key))
    .map(([, message]) => message);
  return { paths, form: rest.length ? rest.join(" ") : null };
}
