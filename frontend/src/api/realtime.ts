import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "./client";
import { queryKeys } from "./queryClient";
import type { RealtimeEvent } from "./types";
import { RealtimeClient, websocketUrl, type RealtimeStatus } from "./websocket";

type Handler = (event: RealtimeEvent) => void;
const handlers = new Set<Handler>();
let activeClient: RealtimeClient | null = null;
/** Conversations some component watches (count of watchers): (re)subscribed on every connect. */
const conversationWatchers = new Map<number, number>();

/** Receive `message.*` and `conversation.typing` events of one conversation while the returned
 * function has not been called. Survives reconnects. */
export function watchConversation(id: number): () => void {
  conversationWatchers.set(id, (conversationWatchers.get(id) ?? 0) + 1);
  activeClient?.send({ type: "subscribe", conversation: id });
  return () => {
    const left = (conversationWatchers.get(id) ?? 1) - 1;
    if (left > 0) {
      conversationWatchers.set(id, left);
      return;
    }
    conversationWatchers.delete(id);
    activeClient?.send({ type: "unsubscribe", conversation: id });
  };
}

/** Listen to raw realtime events (typing indicators, streaming replies, …) from any component. */
export function onRealtimeEvent(handler: Handler): () => void {
  handlers.add(handler);
  return () => handlers.delete(handler);
}

/**
 * What an event does to the cache: `<entity>.<event>` invalidates the workspace's queries of that
 * entity (["ws", id, entity, …]), so every list and detail showing it refetches; a payload carrying
 * the full object under `object` with an `id` is written into the detail query straight away.
 * `notification.*` events are left to the bell (features/notifications), which adds them to its cache.
 */
export function applyRealtimeEvent(queryClient: QueryClient, workspaceId: number | null, event: RealtimeEvent) {
  let [entity] = event.type.split(".");
  if (!entity || event.type === "connection.ready" || event.type === "conversation.typing") return;
  // A conversation's messages are part of its detail and move its place in the inbox.
  if (entity === "message") entity = "conversation";
  // Index progress of an article's files shows on the article.
  if (entity === "kb_file") entity = "kb_article";
  // The bell writes each new notification into its queries (features/notifications/api.ts): no refetch.
  if (entity === "notification") return;
  if (workspaceId === null) return;
  const object = event.payload?.object as { id?: unknown } | undefined;
  if (object && typeof object === "object" && object.id !== undefined) {
    queryClient.setQueryData(queryKeys.workspace(workspaceId, entity, object.id), object);
  }
  invalidateCoalesced(queryClient, queryKeys.workspace(workspaceId, entity));
}

/** How long a burst of events about one entity is folded into one more refetch. */
export const INVALIDATE_WINDOW_MS = 500;
const windows = new Map<string, { queryClient: QueryClient; timer: ReturnType<typeof setTimeout>; again: boolean }>();

/**
 * Invalidate now, then at most once more per window: a busy workspace sends many events a second,
 * and invalidating on each would refetch every loaded page of every open list each time (each
 * refetch cancelling the previous one in the browser, but not on the server).
 */
export function invalidateCoalesced(queryClient: QueryClient, queryKey: readonly unknown[]) {
  const id = JSON.stringify(queryKey);
  const open = windows.get(id);
  if (open && open.queryClient === queryClient) {
    open.again = true;
    return;
  }
  void queryClient.invalidateQueries({ queryKey });
  const close = () => {
    const window = windows.get(id)!;
    if (!window.again) {
      windows.delete(id);
      return;
    }
    window.again = false;
    void queryClient.invalidateQueries({ queryKey });
    window.timer = setTimeout(close, INVALIDATE_WINDOW_MS);
  };
  windows.set(id, { queryClient, timer: setTimeout(close, INVALIDATE_WINDOW_MS), again: false });
}

/** What the socket does with each event: the cache first, then the listeners (onRealtimeEvent). */
export function deliverRealtimeEvent(queryClient: QueryClient, workspaceId: number | null, event: RealtimeEvent) {
  applyRealtimeEvent(queryClient, workspaceId, event);
  for (const handler of [...handlers]) handler(event);
}

/** Keeps one websocket open for the signed-in user's current workspace while mounted. */
export function useRealtime(workspaceId: number | null): RealtimeStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<RealtimeStatus>("idle");
  useEffect(() => {
    if (workspaceId === null) return;
    const client = new RealtimeClient({
      url: websocketUrl(workspaceId),
      getToken: (force) => (force ? api.refresh() : api.ensureAccess()),
      onStatus: setStatus,
      onEvent: (event) => {
        if (event.type === "connection.ready") {
          for (const id of conversationWatchers.keys()) client.send({ type: "subscribe", conversation: id });
        }
        deliverRealtimeEvent(queryClient, workspaceId, event);
      },
    });
    activeClient = client;
    client.start();
    return () => {
      client.stop();
      if (activeClient === client) activeClient = null;
    };
  }, [queryClient, workspaceId]);
  return status;
}
