import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { applyRealtimeEvent } from "./realtime";

function stale(client: QueryClient, key: unknown[]) {
  return client.getQueryState(key)?.isInvalidated;
}

describe("realtime events → query cache", () => {
  it("message and file events refresh the conversation and article queries", () => {
    const client = new QueryClient();
    for (const key of [["ws", 1, "conversation", 7], ["ws", 1, "kb_article", 3], ["ws", 1, "agent", "list"]]) client.setQueryData(key, {});
    applyRealtimeEvent(client, 1, { type: "message.updated", payload: { id: 9, conversation: 7 } });
    applyRealtimeEvent(client, 1, { type: "kb_file.index_state", payload: { id: 2, article_id: 3 } });
    expect(stale(client, ["ws", 1, "conversation", 7])).toBe(true);
    expect(stale(client, ["ws", 1, "kb_article", 3])).toBe(true);
    expect(stale(client, ["ws", 1, "agent", "list"])).toBe(false);
  });

  it("typing events touch no query", () => {
    const client = new QueryClient();
    client.setQueryData(["ws", 1, "conversation", 7], {});
    applyRealtimeEvent(client, 1, { type: "conversation.typing", payload: { conversation: 7 } });
    expect(stale(client, ["ws", 1, "conversation", 7])).toBe(false);
  });
});
