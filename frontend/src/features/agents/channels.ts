/** The channels an agent can answer on (the API's Channel choices), in the order filters and pickers list them. */
export const CHANNELS = ["whatsapp", "telegram", "instagram", "facebook", "viber", "email", "web_chat", "api", "playground"] as const;
