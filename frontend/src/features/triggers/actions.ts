import type { ActionInfo, ParamInfo, TriggerAction } from "./api";

/** The variables a message template may use (automations/services/context.py). */
export const TEMPLATE_VARIABLES = ["{customer_name}", "{agent_name}", "{lead.name}", "{lead.price}", "{lead.stage}", "{lead.<field>}", "{contact.<field>}"];
/** Params whose text is long (a text area rather than a line). */
export const LONG_TEXT = new Set(["text", "body", "reason"]);
/** Template params of one line. */
export const SHORT_TEMPLATE = new Set(["title"]);

/** The vocabulary's param types (automations/services/actions.py ACTION_PARAMS) by the input they take. */
const NUMBER_TYPES = new Set(["integer", "pipeline_id", "stage_id", "field_id", "chain_id", "kommo_user_id"]);
const LIST_TYPES = new Set(["tags", "roles"]);
export const paramKind = (param: ParamInfo): "number" | "list" | "choice" | "template" | "text" => {
  if (LIST_TYPES.has(param.type)) return "list";
  if (param.type === "choice" || (param.choices?.length && !LIST_TYPES.has(param.type))) return "choice";
  if (NUMBER_TYPES.has(param.type)) return "number";
  if (param.type === "template") return "template";
  return "text";
};

/** A param's value before anything is picked. */
export function paramDefault(param: ParamInfo): unknown {
  switch (paramKind(param)) {
    case "list":
      return [];
    case "choice":
      return param.required ? param.choices![0] : null;
    case "number":
      return null;
    default:
      return "";
  }
}

/** A new action of a kind, every param at its default. */
export function newAction(info: ActionInfo): TriggerAction {
  return { kind: info.kind, params: Object.fromEntries(info.params.map((p) => [p.name, paramDefault(p)])) };
}

/** The list with item `i` moved by `by` (−1 up, +1 down); unchanged at the ends. */
export function moved<T>(items: T[], i: number, by: -1 | 1): T[] {
  const j = i + by;
  if (j < 0 || j >= items.length) return items;
  const next = [...items];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

/** The errors of action `i`: by param name, and the rest (the action, its kind, unknown params) as one line. */
export function actionErrors(errors: Record<string, string>, i: number, shown: readonly string[]) {
  const prefix = `actions.${i}`;
  const params: Record<string, string> = {};
  const rest: string[] = [];
  for (const [key, message] of Object.entries(errors)) {
    if (key !== prefix && !key.startsWith(`${prefix}.`)) continue;
    const name = key.startsWith(`${prefix}.params.`) ? key.slice(`${prefix}.params.`.length) : null;
    if (name && shown.includes(name)) params[name] ??= message;
    else rest.push(message);
  }
  return { params, rest: rest.join(" ") };
}
