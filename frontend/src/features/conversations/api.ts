import { replaceEqualDeep, useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import { linkPath, usePagedList, withPageSize } from "../../api/paging";
import { onRealtimeEvent, watchConversation } from "../../api/realtime";
import type { Conversation, ConversationDetail, ConversationSummary, Message } from "../../api/types";

export interface InboxFilters {
  status: string;
  channel: string;
  agent: string;
  needs_approval: string;
  has_failed: string;
  search: string;
}

/** The inbox, newest activity first, page by page ("Load more"). Conversation and message events
 * refetch the loaded pages (realtime.ts), so rows change and climb to the top live. */
export function useConversations(filters: InboxFilters) {
  const key = useWsKey();
  return usePagedList<Conversation>({
    queryKey: key("conversation", "list", filters),
    path: "/api/conversations",
    query: { ...filters, page_size: 50 },
  });
}

/** Inbox counts of the whole workspace (unread, held for approval, per status); conversation events refetch it. */
export function useConversationSummary() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("conversation", "summary"),
    queryFn: ({ signal }) => api.get<ConversationSummary>("/api/conversations/summary", { signal }),
  });
}

/** A conversation with its latest messages, kept live: its events (messages, status) refetch it. */
export function useConversation(id: number | null) {
  const key = useWsKey();
  useEffect(() => {
    if (id === null) return;
    return watchConversation(id);
  }, [id]);
  return useQuery({
    queryKey: key("conversation", id),
    queryFn: ({ signal }) => api.get<ConversationDetail>(`/api/conversations/${id}`, { signal }),
    enabled: id !== null,
    structuralSharing: keepEarlierMessages,
  });
}

/**
 * A refetch brings the latest messages again: those that slid out of them as new ones arrived stay
 * in front (they were on screen), the rest comes from the new response.
 */
export function keepEarlierMessages(previous: unknown, next: unknown): unknown {
  const before = (previous as Partial<ConversationDetail> | undefined)?.messages;
  const after = (next as Partial<ConversationDetail> | undefined)?.messages;
  if (!before?.length || !after?.length) return replaceEqualDeep(previous, next);
  const ids = new Set(after.map((m) => m.id));
  const first = after[0];
  const earlier = before.filter((m) => !ids.has(m.id) && byTime(m, first) < 0);
  return replaceEqualDeep(previous, earlier.length ? { ...(next as ConversationDetail), messages: [...earlier, ...after] } : next);
}

/** True for a few seconds after a `conversation.typing` event of this conversation. */
export function useTyping(id: number | null) {
  const [typing, setTyping] = useState(false);
  useEffect(() => {
    if (id === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onRealtimeEvent((event) => {
      if (event.type === "conversation.typing" && event.payload?.conversation === id) {
        setTyping(event.payload?.typing !== false);
        clearTimeout(timer);
        timer = setTimeout(() => setTyping(false), 8000);
      }
      if (event.type === "message.updated" && event.payload?.conversation === id) setTyping(false);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [id]);
  return typing;
}

/** Mutations on conversations refetch every conversation query of the workspace. */
export function useConversationMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  const key = useWsKey();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: key("conversation") }) });
}

/** Mark the conversation read (its unread count goes to 0). */
export function useMarkRead(id: number) {
  return useConversationMutation(() => api.post(`/api/conversations/${id}/read`, {}));
}

/** A human takes the conversation over: the AI stops answering. */
export function useHandOff(id: number) {
  return useConversationMutation(() => api.post(`/api/conversations/${id}/handoff`, {}));
}

/** Give the conversation back to the AI. */
export function useResumeAi(id: number) {
  return useConversationMutation(() => api.post(`/api/conversations/${id}/resume-ai`, {}));
}

export function useCloseConversation(id: number) {
  return useConversationMutation(() => api.post(`/api/conversations/${id}/close`, {}));
}

/** A human's reply, sent to the customer. */
export function useSendReply(conversationId: number) {
  return useConversationMutation((text: string) => api.post(`/api/conversations/${conversationId}/messages`, { text }));
}

const messagePath = (conversationId: number, messageId: number) => `/api/conversations/${conversationId}/messages/${messageId}`;

/** Send a held reply, as written or with the reviewer's text. */
export function useApproveMessage(conversationId: number, messageId: number) {
  return useConversationMutation((text?: string) => api.post(`${messagePath(conversationId, messageId)}/approve`, text === undefined ? {} : { text }));
}

export function useRejectMessage(conversationId: number, messageId: number) {
  return useConversationMutation(() => api.post(`${messagePath(conversationId, messageId)}/reject`, {}));
}

/** Try a failed outgoing message again. */
export function useRetryMessage(conversationId: number, messageId: number) {
  return useConversationMutation(() => api.post(`${messagePath(conversationId, messageId)}/retry`, {}));
}

/** How many of the latest messages the conversation itself carries (`conversation_recent_messages`
 * in conversations/selectors.py; its `has_older_messages` says whether there are more): the first
 * older page skips them. */
export const RECENT_MESSAGES = 50;
/** Older messages fetched per "Show older messages". */
export const OLDER_PAGE = 50;

type CursorPage = { next: string | null; previous: string | null; results: Message[] };

/**
 * A thread's older messages, loaded only on demand from the cursor endpoint
 * (`/api/conversations/<id>/messages`, newest first; `next` leads to older ones).
 *
 * The endpoint's first page is the same latest messages the conversation carries, so it is asked
 * for with room for one more page of older ones; each later page is `OLDER_PAGE` messages. The
 * query is disabled, so nothing refetches it: a refetch would start again from the newest message
 * and could drop pages already read, while the live part of the thread comes from the
 * conversation's own query. Status changes of the messages loaded here arrive as `message.*`
 * events and are written into the pages.
 */
export function useOlderMessages(id: number) {
  const key = useWsKey();
  const queryClient = useQueryClient();
  const older = useInfiniteQuery({
    queryKey: key("conversation", id, "older"),
    queryFn: ({ pageParam, signal }) =>
      api.get<CursorPage>(pageParam ?? `/api/conversations/${id}/messages`, pageParam ? { signal } : { signal, query: { page_size: RECENT_MESSAGES + OLDER_PAGE } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => {
      const next = linkPath(last.next);
      return next && withPageSize(next, OLDER_PAGE);
    },
    enabled: false,
  });
  useEffect(
    () =>
      onRealtimeEvent((event) => {
        const payload = event.payload as Partial<Message> | undefined;
        if (!event.type.startsWith("message.") || payload?.conversation !== id || payload.id === undefined) return;
        queryClient.setQueryData<InfiniteData<CursorPage, string | null>>(key("conversation", id, "older"), (data) =>
          data && {
            ...data,
            pages: data.pages.map((page) => ({ ...page, results: page.results.map((m) => (m.id === payload.id ? patchMessage(m, payload) : m)) })),
          },
        );
      }),
    [queryClient, key, id],
  );
  return older;
}

/** The fields a `message.*` event carries (conversations.services.message_payload). */
function patchMessage(message: Message, payload: Partial<Message>): Message {
  const fields = ["text", "status", "status_reason", "answers"] as const;
  const patch = Object.fromEntries(fields.filter((f) => payload[f] !== undefined).map((f) => [f, payload[f]]));
  return { ...message, ...patch };
}

/**
 * One thread from the conversation's latest messages and the older pages loaded so far: each message
 * once (the latest copy wins: the conversation is refetched on every event), oldest first like the
 * API's ordering (`source_timestamp`, then `id`).
 */
export function threadMessages(recent: Message[], olderPages: ReadonlyArray<{ results: Message[] }> = []): Message[] {
  const byId = new Map<number, Message>();
  for (const page of olderPages) for (const message of page.results) byId.set(message.id, message);
  for (const message of recent) byId.set(message.id, message);
  return [...byId.values()].sort(byTime);
}

/** The API's order of a thread: the time written (`source_timestamp`), then `id`. */
function byTime(a: Message, b: Message): number {
  return Date.parse(a.source_timestamp) - Date.parse(b.source_timestamp) || a.id - b.id;
}
