import { api } from "../../api/client";
import type { PlaygroundResult, PlaygroundSwitches } from "../../api/types";
import { useConversationMutation } from "../conversations/api";

export type PlaygroundChatInput = { text: string; conversation_id?: number } & PlaygroundSwitches;

/** Send a message to the agent in its playground conversation (a new one without `conversation_id`), with the test switches. */
export function usePlaygroundChat(agentId: number) {
  return useConversationMutation((body: PlaygroundChatInput) => api.post<PlaygroundResult>(`/api/playground/${agentId}/chat`, body));
}
