import { useMutation, useQueries, useQuery, useQueryClient, keepPreviousData } from "@tanstack/react-query";
import { api, ApiError } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import { usePagedList } from "../../api/paging";
import type { components } from "../../api/schema";
import type { Dashboard, Period } from "../dashboard/statisticsApi";

export type UsageRow = components["schemas"]["UsageRowOutput"];
export type Usage = components["schemas"]["UsageOutput"];
export type Cluster = components["schemas"]["UnansweredClusterOutput"];
export type ClusterStatus = "open" | "resolved" | "dismissed";

/** The period's first and last day, as the server counts the workspace's days (from the dashboard's answer). */
export interface Range {
  date_from: string;
  date_to: string;
}

/** AI usage over the range, grouped by day, agent or model (the daily aggregates). */
export function useUsage(range: Range | undefined, groupBy: "date" | "agent" | "model") {
  const key = useWsKey();
  return useQuery({
    queryKey: key("statistics", "usage", groupBy, range?.date_from, range?.date_to),
    queryFn: ({ signal }) => api.get<Usage>("/api/statistics/usage", { signal, query: { ...range, group_by: groupBy } }),
    enabled: range !== undefined,
    placeholderData: keepPreviousData,
  });
}

/** Each agent's figures over the period (null: no activity yet, the API's 404). */
export function useAgentPerformance(agentIds: number[], period: Period) {
  const key = useWsKey();
  return useQueries({
    queries: agentIds.map((id) => ({
      queryKey: key("statistics", "agent", id, period),
      queryFn: async ({ signal }: { signal: AbortSignal }) => {
        try {
          return await api.get<Dashboard>(`/api/statistics/agents/${id}`, { signal, query: { period } });
        } catch (error) {
          if (error instanceof ApiError && error.status === 404) return null;
          throw error;
        }
      },
    })),
  });
}

/** The clusters of unanswered questions, most asked in the period first, page by page. */
export function useUnanswered(period: Period, status: ClusterStatus) {
  const key = useWsKey();
  return usePagedList<Cluster>({
    queryKey: key("statistics", "unanswered", period, status),
    path: "/api/statistics/unanswered",
    query: { period, status, page_size: 20 },
  });
}

function useClusterMutation<V>(fn: (vars: V) => Promise<Cluster>) {
  const client = useQueryClient();
  const key = useWsKey();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => client.invalidateQueries({ queryKey: key("statistics", "unanswered") }),
  });
}

export const useDismissCluster = () => useClusterMutation((id: number) => api.post<Cluster>(`/api/statistics/unanswered/${id}/dismiss`));

export const useResolveCluster = () =>
  useClusterMutation(({ id, article }: { id: number; article: number }) => api.post<Cluster>(`/api/statistics/unanswered/${id}/resolve`, { article }));

/** Download the period's figures per day as CSV: fetched with the bearer token (a bare link has none), then saved. */
export async function downloadStatisticsCsv(period: Period): Promise<void> {
  const blob = await api.blob("/api/statistics/export.csv", { query: { period } });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `statistics-${period}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
