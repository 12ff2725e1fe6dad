import { createContext, useContext } from "react";
import type { KommoField, KommoPipeline } from "../../api/types";
import type { FactInfo } from "./api";

/** What every node of the condition builder reads: the facts it may test, the CRM's lead fields and pipelines (when
 * synced), and the save's errors gathered at their nodes ({node path: [[key suffix, message]]}). */
export interface BuilderContextValue {
  facts: FactInfo[];
  leadFields: KommoField[] | null;
  /** The synced pipelines, to pick a lead.pipeline_id or lead.stage_id value from (null: not synced, typed as ids). */
  pipelines: KommoPipeline[] | null;
  errors: Record<string, Array<[string, string]>>;
}

export const BuilderContext = createContext<BuilderContextValue>({ facts: [], leadFields: null, pipelines: null, errors: {} });

export const useBuilder = () => useContext(BuilderContext);

/** The errors of one node: by key suffix ("value", "op"…), and the rest (the node itself, unknown keys) as one line. */
export function useNodeErrors(path: string, fields: readonly string[], alsoPath?: string) {
  const { errors } = useBuilder();
  const own = [...(errors[path] ?? []), ...(alsoPath ? (errors[alsoPath] ?? []) : [])];
  const byField: Record<string, string> = {};
  const rest: string[] = [];
  for (const [suffix, message] of own) {
    if (fields.includes(suffix) && byField[suffix] === undefined) byField[suffix] = message;
    else rest.push(message);
  }
  return { byField, rest: rest.join(" ") };
}

/** A node's number for people: `condition.all.1.any.0` → "2.1". */
export function nodeNumber(path: string): string {
  return path
    .split(".")
    .filter((part) => /^\d+$/.test(part))
    .map((part) => Number(part) + 1)
    .join(".");
}
