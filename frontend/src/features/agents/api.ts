import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import type { AIModel, Agent, AgentInput, Paginated } from "../../api/types";

export interface AgentFilters {
  active?: string;
  channel?: string;
  model?: string;
  search?: string;
  ordering?: string;
}

export function useAgents(filters: AgentFilters = {}) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("agent", "list", filters),
    queryFn: ({ signal }) =>
      api.get<Paginated<Agent>>("/api/agents", { signal, query: { ...filters, page_size: 100 } }),
    placeholderData: (previous) => previous,
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
