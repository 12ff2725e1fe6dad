import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { applyRealtimeEvent, INVALIDATE_WINDOW_MS } from "./realtime";

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

describe("a burst of events", () => {
  afterEach(() => vi.useRealTimers());

  it("refetches at once, then once more per window, ending on the latest state", async () => {
    vi.useFakeTimers();
    const client = new QueryClient();
    let fetches = 0;
    const key = ["ws", 2, "conversation", "list"];
    // A mounted list: an active observer, so that an invalidation refetches.
    const observer = new QueryObserver(client, { queryKey: key, queryFn: () => ++fetches });
    const unsubscribe = observer.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetches).toBe(1);

    for (let i = 0; i < 30; i++) applyRealtimeEvent(client, 2, { type: "message.created", payload: { conversation: i } });
    await vi.advanceTimersByTimeAsync(0);
    expect(fetches).toBe(2); // the burst's first event: at once
    await vi.advanceTimersByTimeAsync(INVALIDATE_WINDOW_MS);
    expect(fetches).toBe(3); // the rest of the burst: one refetch
    await vi.advanceTimersByTimeAsync(INVALIDATE_WINDOW_MS * 4);
    expect(fetches).toBe(3); // quiet: nothing more

    applyRealtimeEvent(client, 2, { type: "message.created", payload: { conversation: 99 } });
    await vi.advanceTimersByTimeAsync(0);
    expect(fetches).toBe(4); // a lone event later is not delayed
    unsubscribe();
  });
});
