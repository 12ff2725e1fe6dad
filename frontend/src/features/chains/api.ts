import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import { fetchAllPages } from "../../api/paging";
import type { Chain, ChainInput, ChainRun, Paginated } from "../../api/types";

/** Every chain of the workspace (a workspace has a handful: one page of 100 covers it). */
export function useChains() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("chain", "list"),
    queryFn: ({ signal }) => fetchAllPages<Chain>("/api/chains", { signal, query: { ordering: "name", page_size: 100 } }),
  });
}

export function useChain(id: number) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("chain", id),
    queryFn: ({ signal }) => api.get<Chain>(`/api/chains/${id}`, { signal }),
  });
}

/** The chain's runs, newest first, each with its timeline; refreshed while the tab is open. */
export function useChainRuns(id: number, status: string) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("chain", id, "runs", status),
    queryFn: ({ signal }) =>
      api.get<Paginated<ChainRun>>(`/api/chains/${id}/runs`, { signal, query: { status: status || undefined, page_size: 50 } }),
    refetchInterval: 5_000,
  });
}

/** The conversation's runs of every chain (the conversation page's panel). */
export function useConversationChainRuns(conversationId: number) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("chain", "conversation", conversationId),
    queryFn: ({ signal }) => api.get<ChainRun[]>(`/api/conversations/${conversationId}/chain-runs`, { signal }),
    refetchInterval: 10_000,
  });
}

/** Mutations that change chains or runs refetch every chain query of the workspace. */
export function useChainMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  const key = useWsKey();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key("chain") }),
  });
}

export const chainApi = {
  create: (input: ChainInput) => api.post<Chain>("/api/chains", input),
  /** Every field of the editor; the steps are replaced as a whole (a step keeps its id, and its history). */
  update: (id: number, input: Partial<ChainInput>) => api.patch<Chain>(`/api/chains/${id}`, input),
  remove: (id: number) => api.delete(`/api/chains/${id}`),
  start: (id: number, conversation: number) => api.post<ChainRun>(`/api/chains/${id}/start`, { conversation }),
  stopRun: (chainId: number, runId: number) => api.post<ChainRun>(`/api/chains/${chainId}/runs/${runId}/stop`, {}),
};
