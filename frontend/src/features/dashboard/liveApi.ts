import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import { invalidateCoalesced, onRealtimeEvent } from "../../api/realtime";
import type { components } from "../../api/schema";

export type LiveCounters = components["schemas"]["LiveCountersOutput"];
export type AttentionItem = components["schemas"]["AttentionItemOutput"];

/**
 * Which realtime events change which of the dashboard's live reads. `statistics.updated` (a counted
 * event committed: a conversation started, a reply went out, an approval was decided, a handoff)
 * already refetches every ["ws", id, "statistics", …] query; these are the changes no daily counter
 * records: a reply put on hold, a conversation handed back, indexing and Kommo states.
 */
const REFRESHES: { match: (type: string) => boolean; reads: ("live" | "attention")[] }[] = [
  { match: (type) => type.startsWith("approval."), reads: ["live", "attention"] },
  // Every message moves a conversation: the cheap counters follow it, the attention list (a dozen
  // counts) waits for the events that change it, or its five-minute refetch.
  { match: (type) => type === "conversation.updated", reads: ["live"] },
  { match: (type) => type.startsWith("kb_article.") || type.startsWith("kb_file."), reads: ["attention"] },
  { match: (type) => type.startsWith("integration."), reads: ["attention"] },
];

/** Today's counters and what waits now; the socket only says when to read them again. */
export function useLiveCounters() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("statistics", "live"),
    queryFn: ({ signal }) => api.get<LiveCounters>("/api/statistics/live", { signal }),
    refetchInterval: 5 * 60_000, // a missed event (the socket was down) heals within minutes
  });
}

export function useAttention() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("statistics", "attention"),
    queryFn: ({ signal }) => api.get<{ items: AttentionItem[] }>("/api/statistics/attention", { signal }).then((body) => body.items),
    refetchInterval: 5 * 60_000,
  });
}

/** While mounted, refetch the live reads when an event that changes them arrives (coalesced like
 * every other realtime refetch). */
export function useLiveRefresh() {
  const queryClient = useQueryClient();
  const key = useWsKey();
  useEffect(
    () =>
      onRealtimeEvent((event) => {
        for (const rule of REFRESHES) {
          if (!rule.match(event.type)) continue;
          for (const read of rule.reads) invalidateCoalesced(queryClient, key("statistics", read));
        }
      }),
    [queryClient, key],
  );
}
