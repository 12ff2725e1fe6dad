import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import { fetchAllPages, usePagedList } from "../../api/paging";
import type { AIModel, Agent, AgentInput, AgentUpdateInput, AgentVersion, ChannelStatus, Paginated, UpdateRule, UpdateRuleInput, VersionDiff } from "../../api/types";

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

/** The chat models of the registry (what an agent answers with; embedding models are not offered). */
export function useModels() {
  return useQuery({
    queryKey: ["ai-models", "chat"],
    queryFn: ({ signal }) => api.get<AIModel[]>("/api/ai/models", { signal, query: { kind: "chat" } }),
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
  /** The agent's fields and any configuration tables, saved together as one version. */
  update: (id: number, input: AgentUpdateInput) => api.patch<Agent>(`/api/agents/${id}`, input),
  toggle: (id: number, is_active: boolean) => api.patch<Agent>(`/api/agents/${id}/toggle`, { is_active }),
  duplicate: (id: number) => api.post<Agent>(`/api/agents/${id}/duplicate`, {}),
  remove: (id: number) => api.delete(`/api/agents/${id}`),
};

/** One configuration section of the agent (`channels`, `pipelines`, `knowledge-base`, `crm-access`). */
export function useAgentSection<T>(agentId: number, section: string) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("agent", agentId, section),
    queryFn: ({ signal }) => api.get<T>(`/api/agents/${agentId}/${section}`, { signal }),
  });
}

/** Which channels customers can reach the workspace's agents on now, and why not (Kommo not connected…). */
export function useChannelStatus() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("agent", "channel-status"),
    queryFn: ({ signal }) => api.get<{ channels: ChannelStatus[] }>("/api/agents/channel-status", { signal }),
    select: (data) => data.channels,
  });
}

/** The agent's CRM update rules (a plain list or one page of them, as the API answers). */
export function useUpdateRules(agentId: number) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("agent", agentId, "rules"),
    queryFn: ({ signal }) => api.get<Paginated<UpdateRule> | UpdateRule[]>(`/api/agents/${agentId}/update-rules`, { signal }),
    select: (data) => (Array.isArray(data) ? data : data.results),
  });
}

/** Create a rule (`ruleId` null) or save one. */
export function useSaveUpdateRule(agentId: number, ruleId: number | null) {
  return useAgentMutation((body: UpdateRuleInput) =>
    ruleId === null ? api.post(`/api/agents/${agentId}/update-rules`, body) : api.patch(`/api/agents/${agentId}/update-rules/${ruleId}`, body),
  );
}

export function useToggleUpdateRule(agentId: number) {
  return useAgentMutation((v: { id: number; on: boolean }) => api.patch(`/api/agents/${agentId}/update-rules/${v.id}`, { is_active: v.on }));
}

export function useDeleteUpdateRule(agentId: number) {
  return useAgentMutation((id: number) => api.delete(`/api/agents/${agentId}/update-rules/${id}`));
}

const versionNumber = (version: AgentVersion) => version.number;

/** The agent's versions, page by page; a new version of the agent starts the list again. */
export function useAgentVersions(agent: Agent) {
  const key = useWsKey();
  return usePagedList<AgentVersion>({
    queryKey: key("agent", agent.id, "versions", agent.version),
    path: `/api/agents/${agent.id}/versions`,
    query: { page_size: 100 },
    rowKey: versionNumber,
  });
}

export function useRestoreVersion(agentId: number) {
  return useAgentMutation((n: number) => api.post(`/api/agents/${agentId}/versions/${n}/restore`, {}));
}

/** What changed from version `from` to version `to`. */
export function useVersionDiff(agentId: number, from: number, to: number) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("agent", agentId, "diff", from, to),
    queryFn: ({ signal }) => api.get<VersionDiff>(`/api/agents/${agentId}/versions/diff`, { signal, query: { from, to } }),
  });
}
