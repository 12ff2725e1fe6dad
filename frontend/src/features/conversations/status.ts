import type { TFunction } from "i18next";
import type { Conversation } from "../../api/types";
import type { Tone } from "../../components/ui/Badge";

/** The badge colour of each conversation status. */
export const STATUS_TONES: Record<string, Tone> = { open: "green", waiting_approval: "amber", human: "indigo", closed: "gray" };

/** The one status a conversation shows: a held reply outranks the rest (a person must act). */
export function shownStatus(conversation: Pick<Conversation, "status" | "needs_approval">): string {
  if (conversation.needs_approval && conversation.status !== "closed") return "waiting_approval";
  return conversation.status ?? "open";
}

/** What a conversation is called: the customer, or for a playground test, the agent and when it began
 * (every playground chat has the same "customer": the teammate testing). */
export function conversationTitle(conversation: Conversation, t: TFunction, language: string): string {
  if (conversation.channel === "playground") {
    const when = new Date(conversation.created_at).toLocaleString(language, { dateStyle: "medium", timeStyle: "short" });
    return t("conversations.playgroundTitle", { agent: conversation.agent_name ?? t("conversations.noAgent"), when });
  }
  return conversation.customer_name || conversation.customer_handle || conversation.external_chat_id;
}
