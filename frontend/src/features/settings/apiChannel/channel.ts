import type { ApiKeyScope, Role } from "../../../api/types";

/* What the API channel tab knows besides the server state: key scopes, who manages it, the example request. */

/** Every scope a workspace API key can carry (accounts' ApiKeyScope), in the order the form lists them. */
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ["channel_api", "conversations_read"];

/** Owners and admins configure the channel and manage keys; the API answers 403 to members. */
export function canManageApiChannel(role: Role | undefined): boolean {
  return role === "owner" || role === "admin";
}

/** The request a server sends to deliver a customer's message (shown on the tab as an example). */
export function ingestExample(origin: string): string {
  const body = {
    external_chat_id: "chat-42",
    external_message_id: "msg-1001",
    text: "Do you ship to Lisbon?",
    customer_name: "Ana Costa",
  };
  return [
    `POST ${origin}/api/channels/api/messages`,
    "Authorization: Api-Key apk_…",
    "Content-Type: application/json",
    "",
    JSON.stringify(body, null, 2),
  ].join("\n");
}
