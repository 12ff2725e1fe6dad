import type { AgentChannel } from "../../api/types";

/** Every channel a conversation can come from (the API's Channel choices), in the order filters list them. */
export const CHANNELS = ["whatsapp", "telegram", "instagram", "facebook", "viber", "email", "web_chat", "api", "playground"] as const;

/** The channels an agent can be switched on for: not the playground, which answers with whichever agent
 * is picked there, switched on or not (agents/models.py, AGENT_CHANNELS). */
export const AGENT_CHANNELS: readonly AgentChannel[] = ["whatsapp", "telegram", "instagram", "facebook", "viber", "email", "web_chat", "api"];
