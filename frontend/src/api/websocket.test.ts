import { QueryClient } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { applyRealtimeEvent } from "./realtime";
import { backoffDelay, RealtimeClient, websocketUrl } from "./websocket";

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  constructor(public url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close(code = 1000) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

describe("RealtimeClient", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => vi.useRealTimers());

  function start(getToken = vi.fn(async (_force: boolean) => "tok")) {
    const events: unknown[] = [];
    const statuses: string[] = [];
    const client = new RealtimeClient({
      url: "ws://h/ws/?workspace=1",
      getToken,
      onEvent: (e) => events.push(e),
      onStatus: (s) => statuses.push(s),
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      pingIntervalMs: 1000,
      pongTimeoutMs: 500,
    });
    client.start();
    return { client, events, statuses, getToken };
  }

  it("authenticates with the first message and delivers events", async () => {
    const { events, statuses } = start();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const socket = FakeSocket.all[0];
    socket.open();
    expect(JSON.parse(socket.sent[0])).toEqual({ type: "auth", token: "tok" });
    socket.receive({ type: "connection.ready", payload: { workspace: 1 } });
    socket.receive({ type: "agent.updated", payload: { id: 3 } });
    expect(statuses).toContain("open");
    expect(events).toEqual([
      { type: "connection.ready", payload: { workspace: 1 } },
      { type: "agent.updated", payload: { id: 3 } },
    ]);
  });

  it("pings, and reconnects with a refreshed token after a 4401", async () => {
    const { getToken } = start();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const first = FakeSocket.all[0];
    first.open();
    first.receive({ type: "connection.ready", payload: {} });
    vi.advanceTimersByTime(1000);
    expect(JSON.parse(first.sent.at(-1)!)).toEqual({ type: "ping" });
    first.receive({ type: "pong" });
    first.close(4401);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.all).toHaveLength(2);
    expect(getToken).toHaveBeenLastCalledWith(true);
  });

  it("closes a connection that stops answering pings, and stops for good on 4404", async () => {
    const { client, statuses } = start();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    FakeSocket.all[0].open();
    FakeSocket.all[0].receive({ type: "connection.ready", payload: {} });
    vi.advanceTimersByTime(1500); // ping sent, no pong within 500 ms
    expect(FakeSocket.all[0].readyState).toBe(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1].open();
    FakeSocket.all[1].close(4404);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(2);
    expect(statuses.at(-1)).toBe("stopped");
    client.stop();
  });

  it("backs off exponentially with jitter, capped", () => {
    expect(backoffDelay(0, 30_000, () => 0)).toBe(500);
    expect(backoffDelay(3, 30_000, () => 1)).toBe(8000);
    expect(backoffDelay(20, 30_000, () => 1)).toBe(30_000);
  });

  it("builds the URL from the page's origin", () => {
    expect(websocketUrl(4, { protocol: "https:", host: "app.example.com" })).toBe("wss://app.example.com/ws/?workspace=4");
  });
});

describe("applyRealtimeEvent", () => {
  it("invalidates the workspace's queries of the event's entity and writes full objects", () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(["ws", 1, "agent", "list"], []);
    queryClient.setQueryData(["ws", 1, "article", "list"], []);
    applyRealtimeEvent(queryClient, 1, { type: "agent.updated", payload: { object: { id: 5, name: "Bob" } } });
    expect(queryClient.getQueryState(["ws", 1, "agent", "list"])?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(["ws", 1, "article", "list"])?.isInvalidated).toBe(false);
    expect(queryClient.getQueryData(["ws", 1, "agent", 5])).toEqual({ id: 5, name: "Bob" });
  });
});
