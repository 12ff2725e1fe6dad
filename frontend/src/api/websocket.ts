/**
 * The realtime client: one websocket to /ws/ per tab, authenticated with the access token in the
 * first message (tokens stay out of URLs and access logs), `?workspace=<id>` for the workspace.
 * Reconnects with capped exponential backoff and jitter; pings to detect a dead connection; on close
 * 4401 (token expired/refused) it refreshes the token once and reconnects; on 4404 (no such
 * workspace for this user) it stops. `useRealtime` feeds the events into TanStack Query's cache.
 */
import type { RealtimeEvent } from "./types";

export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_NO_WORKSPACE = 4404;

export type RealtimeStatus = "idle" | "connecting" | "open" | "reconnecting" | "stopped";

export interface RealtimeOptions {
  url: string;
  /** The current access token; `force` asks for a refreshed one (after a 4401). */
  getToken: (force: boolean) => Promise<string | null>;
  onEvent: (event: RealtimeEvent) => void;
  onStatus?: (status: RealtimeStatus) => void;
  WebSocketImpl?: typeof WebSocket;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  maxBackoffMs?: number;
}

export function backoffDelay(attempt: number, maxMs = 30_000, random = Math.random): number {
  const base = Math.min(maxMs, 1000 * 2 ** attempt);
  return Math.round(base / 2 + (random() * base) / 2);
}

export class RealtimeClient {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private forceRefresh = false;
  private readonly options: Required<Omit<RealtimeOptions, "onStatus">> & Pick<RealtimeOptions, "onStatus">;

  constructor(options: RealtimeOptions) {
    this.options = {
      WebSocketImpl: globalThis.WebSocket,
      pingIntervalMs: 25_000,
      pongTimeoutMs: 10_000,
      maxBackoffMs: 30_000,
      ...options,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  /** Send a message on the open socket; false when it is not open (the caller re-sends on reconnect). */
  send(message: unknown): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== 1) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= 1) socket.close(1000, "client stopped");
    this.status("stopped");
  }

  private status(status: RealtimeStatus) {
    this.options.onStatus?.(status);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.status(this.attempt === 0 ? "connecting" : "reconnecting");
    let token: string | null;
    try {
      token = await this.options.getToken(this.forceRefresh);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.forceRefresh = false;
    if (this.stopped) return;
    if (!token) {
      this.stop();
      return;
    }
    const socket = new this.options.WebSocketImpl(this.options.url);
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: "auth", token }));
    socket.onmessage = (message) => this.receive(message);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      if (this.stopped) return;
      if (event.code === CLOSE_NO_WORKSPACE) {
        this.stop();
        return;
      }
      if (event.code === CLOSE_UNAUTHENTICATED) this.forceRefresh = true;
      this.scheduleReconnect();
    };
  }

  private receive(message: MessageEvent) {
    let event: RealtimeEvent;
    try {
      event = JSON.parse(String(message.data));
    } catch {
      return;
    }
    if (event.type === "pong") {
      clearTimeout(this.pongTimer);
      return;
    }
    if (event.type === "connection.ready") {
      this.attempt = 0;
      this.status("open");
      this.startPing();
    }
    this.options.onEvent(event);
  }

  private startPing() {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      const socket = this.socket;
      if (!socket || socket.readyState !== 1) return;
      socket.send(JSON.stringify({ type: "ping" }));
      clearTimeout(this.pongTimer);
      // No pong in time: the connection is dead even if the browser has not noticed; start over.
      this.pongTimer = setTimeout(() => socket.close(4000, "pong timeout"), this.options.pongTimeoutMs);
    }, this.options.pingIntervalMs);
  }

  private scheduleReconnect() {
    if (this.stopped) return;
    this.status("reconnecting");
    const delay = backoffDelay(this.attempt, this.options.maxBackoffMs);
    this.attempt += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private clearTimers() {
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }
}

export function websocketUrl(workspace: number | null, location: Pick<Location, "protocol" | "host"> = window.location) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const query = workspace !== null ? `?workspace=${workspace}` : "";
  return `${scheme}://${location.host}/ws/${query}`;
}
