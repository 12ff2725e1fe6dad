import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import { useEffect, useMemo } from "react";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import { linkPath, withPageSize } from "../../api/paging";
import { onRealtimeEvent } from "../../api/realtime";
import type { components } from "../../api/schema";

export type Notification = components["schemas"]["NotificationOutput"];
type CursorPage = { next?: string | null; previous?: string | null; results: Notification[] };
type Pages = InfiniteData<CursorPage, string | null>;
type UnreadCount = { unread: number };

/** Notifications per page of the bell's list ("Show more" loads the next one). */
export const PAGE_SIZE = 20;

/**
 * The bell's queries (["ws", <workspace>, "notification", …]). Realtime `notification.created`
 * events are written into them (see useNotificationEvents), never refetched: a busy workspace
 * would otherwise refetch the list and the count on every event. Reads push `notification.read` to
 * the user's other tabs; a tab also refetches when focused, and after a reconnect.
 */
function useKeys() {
  const key = useWsKey();
  return useMemo(() => ({ all: key("notification"), list: key("notification", "list"), unread: key("notification", "unread") }), [key]);
}

export function useUnreadCount() {
  const keys = useKeys();
  return useQuery({
    queryKey: keys.unread,
    queryFn: ({ signal }) => api.get<UnreadCount>("/api/notifications/unread-count", { signal }),
    refetchOnWindowFocus: true,
  });
}

/** The latest notifications, newest first, page by page (the API's cursor pagination). */
export function useNotifications(enabled: boolean) {
  const keys = useKeys();
  return useInfiniteQuery({
    queryKey: keys.list,
    queryFn: ({ pageParam, signal }) =>
      api.get<CursorPage>(pageParam ?? "/api/notifications", pageParam ? { signal } : { signal, query: { page_size: PAGE_SIZE } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => {
      const next = linkPath(last.next);
      return next && withPageSize(next, PAGE_SIZE);
    },
    enabled,
    refetchOnWindowFocus: true,
  });
}

function patchRows(data: Pages | undefined, patch: (n: Notification) => Notification): Pages | undefined {
  return data && { ...data, pages: data.pages.map((page) => ({ ...page, results: page.results.map(patch) })) };
}

/** A notification just created: at the top of the list (once) and one more unread. */
export function addNotification(queryClient: QueryClient, keys: ReturnType<typeof useKeys>, notification: Notification) {
  let known = false;
  queryClient.setQueryData<Pages>(keys.list, (data) => {
    if (!data) return data;
    known = data.pages.some((page) => page.results.some((n) => n.id === notification.id));
    if (known) return data;
    const [first, ...rest] = data.pages;
    return { ...data, pages: [{ ...first, results: [notification, ...first.results] }, ...rest] };
  });
  if (!known && !notification.read_at) {
    queryClient.setQueryData<UnreadCount>(keys.unread, (count) => count && { unread: count.unread + 1 });
  }
}

/** Read in another tab or on another device (`notification.read`): the rows and the count follow.
 * This tab's own reads come back too, and find the row already read. */
function readElsewhere(queryClient: QueryClient, keys: ReturnType<typeof useKeys>, read: { id?: number; all?: boolean }) {
  const now = new Date().toISOString();
  if (read.all) {
    queryClient.setQueryData<Pages>(keys.list, (data) => patchRows(data, (n) => (n.read_at ? n : { ...n, read_at: now })));
    queryClient.setQueryData<UnreadCount>(keys.unread, (count) => count && { unread: 0 });
    return;
  }
  const row = queryClient.getQueryData<Pages>(keys.list)?.pages.flatMap((page) => page.results).find((n) => n.id === read.id);
  if (row?.read_at) return;
  if (!row) {
    void queryClient.invalidateQueries({ queryKey: keys.unread }); // not loaded here: was it unread?
    return;
  }
  queryClient.setQueryData<Pages>(keys.list, (data) => patchRows(data, (n) => (n.id === read.id ? { ...n, read_at: now } : n)));
  queryClient.setQueryData<UnreadCount>(keys.unread, (count) => count && { unread: Math.max(0, count.unread - 1) });
}

/** Follow `notification.created` / `notification.read` events of the signed-in user in the current workspace. */
export function useNotificationEvents() {
  const queryClient = useQueryClient();
  const keys = useKeys();
  useEffect(
    () =>
      onRealtimeEvent((event) => {
        // Events sent while the socket was down are lost: catch up once it is back.
        if (event.type === "connection.ready") void queryClient.invalidateQueries({ queryKey: keys.all });
        if (event.type === "notification.read") readElsewhere(queryClient, keys, event.payload as { id?: number; all?: boolean });
        const row = event.payload as Partial<Notification> | undefined;
        if (event.type !== "notification.created" || typeof row?.id !== "number" || !row.created_at) return;
        addNotification(queryClient, keys, { kind: "", title: "", body: "", payload: {}, read_at: null, ...row } as Notification);
      }),
    [queryClient, keys],
  );
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  const keys = useKeys();
  return useMutation({
    mutationFn: (id: number) => api.patch<Notification>(`/api/notifications/${id}/read`, {}),
    onMutate: (id) => {
      const rows = queryClient.getQueryData<Pages>(keys.list)?.pages.flatMap((page) => page.results) ?? [];
      if (!rows.some((n) => n.id === id && !n.read_at)) return;
      const now = new Date().toISOString();
      queryClient.setQueryData<Pages>(keys.list, (data) => patchRows(data, (n) => (n.id === id ? { ...n, read_at: now } : n)));
      queryClient.setQueryData<UnreadCount>(keys.unread, (count) => count && { unread: Math.max(0, count.unread - 1) });
    },
    onError: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  const keys = useKeys();
  return useMutation({
    mutationFn: () => api.post<{ updated: number }>("/api/notifications/read-all", {}),
    onMutate: () => {
      const now = new Date().toISOString();
      queryClient.setQueryData<Pages>(keys.list, (data) => patchRows(data, (n) => (n.read_at ? n : { ...n, read_at: now })));
      queryClient.setQueryData<UnreadCount>(keys.unread, (count) => count && { unread: 0 });
    },
    onError: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}
