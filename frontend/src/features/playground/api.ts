import { api } from "../../api/client";
import type { PlaygroundResult } from "../../api/types";
import { useConversationMutation } from "../conversations/api";

/** Send a message to the agent in its playground conversation (a new one without `conversation_id`). */
export function usePlaygroundChat(agentId: number) {
  return useConversationMutation((body: { text: string; conversation_id?: number }) => api.post<PlaygroundResult>(`/api/playground/${agentId}/chat`, body));
}
