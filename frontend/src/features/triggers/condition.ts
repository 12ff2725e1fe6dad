/**
 * Trigger conditions as the API stores them (automations/conditions.py): a group ({all}, {any}), a
 * negation ({not}) or a test — structured ({fact, op, value}, lead.field with field_id) or in plain
 * language ({ai, min_confidence}). Pure helpers of the condition builder: the value each operator
 * takes, a one-line summary, and where the API's errors (keyed by JSON path) belong.
 */

export interface FactTest {
  fact: string;
  op: string;
  value?: unknown;
  field_id?: number;
}
export interface AiTest {
  ai: string;
  min_confidence?: number;
}
export type Group = { all: Condition[] } | { any: Condition[] };
export interface Not {
  not: Condition;
}
export type Condition = Group | Not | FactTest | AiTest;
export type GroupMode = "all" | "any";

export const DEFAULT_MIN_CONFIDENCE = 0.6;
export const NO_VALUE = new Set(["is_empty", "is_not_empty"]);
const NUMERIC_OPS = new Set(["gt", "gte", "lt", "lte", "between"]);
const LIST_OPS = new Set(["in", "not_in"]);
export const WEEKDAY_FACT = "time.weekday";
export const FIELD_FACT = "lead.field";

export const isGroup = (c: Condition): c is Group => "all" in c || "any" in c;
export const isNot = (c: Condition): c is Not => "not" in c;
export const isAi = (c: Condition): c is AiTest => "ai" in c;
export const groupMode = (g: Group): GroupMode => ("all" in g ? "all" : "any");
export const children = (g: Group): Condition[] => ("all" in g ? g.all : g.any);
export const makeGroup = (mode: GroupMode, items: Condition[]): Group => (mode === "all" ? { all: items } : { any: items });

/** The condition as a root group (a lone test or negation goes into an "all" group; nothing: an empty one). */
export function rootGroup(condition: unknown): Group {
  if (!condition || typeof condition !== "object" || Object.keys(condition).length === 0) return { all: [] };
  const c = condition as Condition;
  return isGroup(c) ? c : { all: [c] };
}

/** What a test's value input looks like, from the fact's kind and the operator. */
export type ValueShape = "none" | "text" | "number" | "time" | "weekday" | "texts" | "numbers" | "weekdays" | "numberRange" | "timeRange";

export function valueShape(fact: string, kind: string | undefined, op: string): ValueShape {
  if (NO_VALUE.has(op)) return "none";
  const numeric = kind === "number" || (kind === "field" && NUMERIC_OPS.has(op));
  if (kind === "time") return op === "between" ? "timeRange" : "time";
  if (fact === WEEKDAY_FACT) return op === "between" ? "numberRange" : LIST_OPS.has(op) ? "weekdays" : "weekday";
  if (op === "between") return "numberRange";
  if (LIST_OPS.has(op)) return numeric ? "numbers" : "texts";
  return numeric ? "number" : "text";
}

/** A fresh value of a shape (what a test gets when its fact or operator changes). */
export function emptyValue(shape: ValueShape): unknown {
  switch (shape) {
    case "none":
      return undefined;
    case "weekday":
      return 1;
    case "time":
      return "09:00";
    case "timeRange":
      return ["09:00", "18:00"];
    case "numberRange":
      return ["", ""];
    case "texts":
    case "numbers":
    case "weekdays":
      return [];
    default:
      return "";
  }
}

/** The test with its value fitted to its shape: kept when it still fits, else a fresh one (none: no value). */
export function fitValue(test: FactTest, kind: string | undefined, previous?: ValueShape): FactTest {
  const shape = valueShape(test.fact, kind, test.op);
  const { value, ...rest } = test;
  if (shape === "none") return rest;
  return { ...rest, value: previous === shape && value !== undefined ? value : emptyValue(shape) };
}

/** Operators in the order people read them (the API lists them alphabetically). */
const OP_ORDER = ["contains", "not_contains", "equals", "not_equals", "includes", "excludes", "gt", "gte", "lt", "lte", "between", "before", "after", "in", "not_in", "matches", "is_empty", "is_not_empty"];
export const sortedOperators = (ops: string[]) => [...ops].sort((a, b) => (OP_ORDER.indexOf(a) + 1 || 99) - (OP_ORDER.indexOf(b) + 1 || 99));

/** A new structured test of a fact: its first operator in reading order, an empty value. */
export function newTest(fact: { name: string; kind: string; operators: string[] }): FactTest {
  return fitValue({ fact: fact.name, op: sortedOperators(fact.operators)[0] ?? "equals" }, fact.kind);
}

// -- summary ----------------------------------------------------------------------------------------

export interface SummaryWords {
  and: string;
  or: string;
  not: string;
  empty: string;
  fact: (name: string, fieldId?: number) => string;
  op: (op: string) => string;
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.length === 2 && typeof value[0] !== "string" ? `${String(value[0])}–${String(value[1])}` : value.map(String).join(", ");
  return typeof value === "string" ? `“${value}”` : String(value);
}

/** One readable line: `Message text contains “discount” and “the customer asks for a discount”`. */
export function summarize(condition: unknown, words: SummaryWords): string {
  const root = rootGroup(condition);
  return children(root).length ? describe(root, words, true) : words.empty;
}

function describe(c: Condition, words: SummaryWords, top = false): string {
  if (isGroup(c)) {
    const parts = children(c).map((child) => describe(child, words));
    const line = parts.join(` ${groupMode(c) === "all" ? words.and : words.or} `);
    return top || parts.length < 2 ? line : `(${line})`;
  }
  if (isNot(c)) return `${words.not} ${describe(c.not, words)}`;
  if (isAi(c)) return `“${c.ai}”`;
  const value = c.value === undefined ? "" : ` ${formatValue(c.value)}`;
  return `${words.fact(c.fact, c.field_id)} ${words.op(c.op)}${value}`;
}

// -- errors -----------------------------------------------------------------------------------------

/** An API error key as a dotted path: `condition.all[1].value` → `condition.all.1.value`. */
export const dottedPath = (key: string) => key.replace(/\[(\d+)\]/g, ".$1");

/** The first message of each error, by dotted path. */
export function errorsByPath(fieldErrors: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, messages] of Object.entries(fieldErrors)) {
    const path = dottedPath(key);
    if (messages[0] && out[path] === undefined) out[path] = messages[0];
  }
  return out;
}

/** The path of each node of the condition (the root group is `condition`). */
export function nodePaths(condition: Condition, path = "condition", into = new Set<string>()): Set<string> {
  into.add(path);
  if (isGroup(condition)) children(condition).forEach((child, i) => nodePaths(child, `${path}.${groupMode(condition)}.${i}`, into));
  else if (isNot(condition)) nodePaths(condition.not, `${path}.not`, into);
  return into;
}

/** The node an error of the condition belongs to: the longest node path that starts its key. */
export function ownerNode(key: string, paths: Set<string>): string {
  let owner = "condition";
  for (const path of paths) if ((key === path || key.startsWith(`${path}.`)) && path.length > owner.length) owner = path;
  return owner;
}

/** The condition's errors gathered at their nodes: {node path: [[key suffix, message]]}. */
export function conditionErrors(errors: Record<string, string>, condition: Condition): Record<string, Array<[string, string]>> {
  const paths = nodePaths(condition);
  const out: Record<string, Array<[string, string]>> = {};
  for (const [key, message] of Object.entries(errors)) {
    if (key !== "condition" && !key.startsWith("condition.")) continue;
    const node = ownerNode(key, paths);
    (out[node] ??= []).push([key.slice(node.length + 1), message]);
  }
  return out;
}
