import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import { fetchAllPages, usePagedList } from "../../api/paging";
import type { AIModel, Agent, AgentInput } from "../../api/types";

export interface AgentFilters {
  active?: string;
  channel?: string;
  model?: string;
  search?: string;
  ordering?: string;
}

/** The sort the user picked, then name and creation time: rows tied on the sort column must keep
 * one order from page to page, or "Load more" could repeat some and skip others. */
export function stableOrdering(ordering = "name"): string {
  const fields = [ordering, "name", "created_at"];
  return fields.filter((f, i) => fields.findIndex((g) => g.replace("-", "") === f.replace("-", "")) === i).join(",");
}

/** The agents list, page by page ("Load more"). */
export function useAgents(filters: AgentFilters = {}) {
  const key = useWsKey();
  return usePagedList<Agent>({
    queryKey: key("agent", "list", filters),
    path: "/api/agents",
    query: { ...filters, ordering: stableOrdering(filters.ordering), page_size: 100 },
  });
}

/** Every agent by name, for pickers (the inbox filter, the playground). */
export function useAgentOptions() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("agent", "options"),
    queryFn: ({ signal }) => fetchAllPages<Agent>("/api/agents", { signal, query: { ordering: "name,created_at", page_size: 100 } }),
  });
}

export function useAgent(id: number) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("agent", id),
    queryFn: ({ signal }) => api.get<Agent>(`/api/agents/${id}`, { signal }),
  });
}

export function useModels() {
  return useQuery({
    queryKey: ["ai-models"],
    queryFn: ({ signal }) => api.get<AIModel[]>("/api/ai/models", { signal }),
    staleTime: 10 * 60_000,
  });
}

/** Mutations that change agents refetch every agent query of the workspace. */
export function useAgentMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  const key = useWsKey();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key("agent") }),
  });
}

export const agentApi = {
  create: (input: AgentInput) => api.post<Agent>("/api/agents", input),
  update: (id: number, input: Partial<AgentInput>) => api.patch<Agent>(`/api/agents/${id}`, input),
  toggle: (id: number, is_active: boolean) => api.patch<Agent>(`/api/agents/${id}/toggle`, { is_active }),
  duplicate: (id: number) => api.post<Agent>(`/api/agents/${id}/duplicate`, {}),
  remove: (id: number) => api.delete(`/api/agents/${id}`),
};
