import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import { fetchAllPages, usePagedList } from "../../api/paging";

import type { components } from "../../api/schema";

/* The triggers API (automations/api): types generated from the OpenAPI schema (`npm run schema`). */
type Schemas = components["schemas"];

export type LimitScope = Schemas["TriggerLimitScopeEnum"];
export type LimitPeriod = Schemas["TriggerLimitPeriodEnum"];
export type ActionKind = Schemas["ActionKindEnum"];
export type ActionParams = Record<string, unknown>;
/** An action as the editor holds it (the schema leaves `params` untyped: the vocabulary describes them). */
export interface TriggerAction {
  kind: ActionKind;
  params: ActionParams;
}
export type Trigger = Schemas["TriggerOutput"];
export type TriggerInput = Schemas["TriggerInputRequest"];
export type FactInfo = Schemas["FactOutput"];
export type ParamInfo = Schemas["ActionParamOutput"];
export type ActionInfo = Schemas["ActionVocabularyOutput"];
export type Vocabulary = Schemas["TriggerVocabularyOutput"];
export type TestVerdict = Schemas["VerdictOutput"];
export type TestResult = Schemas["TriggerTestOutput"];
export type TriggerLog = Schemas["TriggerLogOutput"];
export type Outcome = Schemas["TriggerLogOutputOutcomeEnum"];
export const OUTCOMES: Outcome[] = ["fired", "not_matched", "limited", "failed", "tested"];

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
    queryFn: ({ signal }) => fetchAllPages<ChainOption>("/api/chains", { signal, query: { ordering: "name", page_size: 100 } }),
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
  update: (id: number, input: Schemas["PatchedTriggerInputRequest"]) => api.patch<Trigger>(`/api/triggers/${id}`, input),
  remove: (id: number) => api.delete(`/api/triggers/${id}`),
  test: (id: number, body: { text: string; conversation: number | null }) => api.post<TestResult>(`/api/triggers/${id}/test`, body),
};
