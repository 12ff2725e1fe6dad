import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import { onRealtimeEvent, watchConversation } from "../../api/realtime";
import type { ConversationDetail } from "../../api/types";

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
  });
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
