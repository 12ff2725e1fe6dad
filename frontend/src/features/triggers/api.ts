import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import { usePagedList } from "../../api/paging";
import type { Condition } from "./condition";

/*
 * The triggers API (docs: /work/helpers/TRIGGERS_API.md). Written from the agreed contract until the
 * backend's schema lands; then these types move to the generated ones.
 */

export type LimitScope = "conversation" | "lead";
export type LimitPeriod = "ever" | "day" | "week" | "month";
export type ActionParams = Record<string, unknown>;
export interface TriggerAction {
  kind: string;
  params: ActionParams;
}

export interface Trigger {
  id: number;
  name: string;
  description: string;
  is_active: boolean;
  priority: number;
  agent: number | null;
  condition: Condition;
  stop_ai_reply: boolean;
  run_limit: number | null;
  run_limit_scope: LimitScope;
  run_limit_period: LimitPeriod;
  actions: TriggerAction[];
  uses_ai: boolean;
  silence_minutes: number | null;
  last_fired_at: string | null;
  fired_total: number;
  created_at: string;
  updated_at: string;
}

/** What the editor sends: the trigger without its read-only fields. */
export type TriggerInput = Pick<
  Trigger,
  "name" | "description" | "is_active" | "priority" | "agent" | "condition" | "stop_ai_reply" | "run_limit" | "run_limit_scope" | "run_limit_period" | "actions"
>;

export interface FactInfo {
  name: string;
  kind: string;
  operators: string[];
  label: string;
}
export interface ParamInfo {
  name: string;
  type: string;
  required: boolean;
  choices?: string[];
}
export interface ActionInfo {
  kind: string;
  label: string;
  params: ParamInfo[];
}
export interface Vocabulary {
  facts: FactInfo[];
  actions: ActionInfo[];
  limit_scopes: string[];
  limit_periods: string[];
}

export interface TestVerdict {
  tests: Array<{ condition: string; holds: boolean }>;
  ai: Array<{ condition: string; holds: boolean; confidence: number; reason: string }>;
}
export type Outcome = "fired" | "not_matched" | "limited" | "failed" | "tested";
export const OUTCOMES: Outcome[] = ["fired", "not_matched", "limited", "failed", "tested"];

export interface TestResult {
  holds: boolean;
  outcome: Outcome;
  why: string;
  verdict: TestVerdict;
  actions: Array<{ kind: string; summary: string }>;
}

export interface TriggerLog {
  id: number;
  created_at: string;
  event: string;
  outcome: Outcome;
  why: string;
  conversation: number | null;
  message: number | null;
  lead_id: string;
  verdict: Partial<TestVerdict>;
  actions: Array<{ kind: string; ok: boolean; detail?: string; error?: string }>;
  duration_ms: number;
}

export interface ChainOption {
  id: number;
  name: string;
}

export function useTriggers() {
  const key = useWsKey();
  return usePagedList<Trigger>({ queryKey: key("trigger", "list"), path: "/api/triggers", query: { page_size: 100 } });
}

export function useTrigger(id: number) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("trigger", id),
    queryFn: ({ signal }) => api.get<Trigger>(`/api/triggers/${id}`, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

/** What a condition may test and what an action may do (the same for every workspace). */
export function useVocabulary() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("trigger", "vocabulary"),
    queryFn: ({ signal }) => api.get<Vocabulary>("/api/triggers/vocabulary", { signal }),
    staleTime: 10 * 60_000,
  });
}

/** The trigger's log, newest first, page by page; `outcome` filters it. */
export function useTriggerLogs(id: number, outcome: string) {
  const key = useWsKey();
  return usePagedList<TriggerLog>({
    queryKey: key("trigger", id, "logs", outcome),
    path: `/api/triggers/${id}/logs`,
    query: { outcome: outcome || undefined, page_size: 25 },
  });
}

/** The workspace's chains for the chain pickers; an error (no chains API yet) makes them number inputs. */
export function useChainOptions() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("chain", "options"),
    queryFn: async ({ signal }) => {
      const data = await api.get<ChainOption[] | { results: ChainOption[] }>("/api/chains", { signal, query: { page_size: 100 } });
      return Array.isArray(data) ? data : data.results;
    },
    retry: false,
    staleTime: 60_000,
  });
}

/** Mutations that change triggers refetch every trigger query of the workspace. */
export function useTriggerMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  const key = useWsKey();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: key("trigger") }) });
}

export const triggerApi = {
  create: (input: TriggerInput) => api.post<Trigger>("/api/triggers", input),
  update: (id: number, input: Partial<TriggerInput>) => api.patch<Trigger>(`/api/triggers/${id}`, input),
  remove: (id: number) => api.delete(`/api/triggers/${id}`),
  test: (id: number, body: { text: string; conversation: number | null }) => api.post<TestResult>(`/api/triggers/${id}/test`, body),
};
