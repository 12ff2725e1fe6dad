/**
 * The tabs of one browser share one session (the refresh token is one HttpOnly cookie): they take
 * turns to rotate it (Web Locks) and tell each other when the session starts or ends
 * (BroadcastChannel). Without those APIs a tab acts alone: the server's grace window still keeps
 * racing refreshes from ending the session, and a logged-out tab's cookie is gone for the others.
 */

export type TabMessage = { type: "login" } | { type: "logout"; reason: "logout" | "expired" };

export interface TabSync {
  /** Runs `task` while no other tab of this browser runs one. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** Tells the other tabs (never this one). */
  post(message: TabMessage): void;
  subscribe(listener: (message: TabMessage) => void): () => void;
}

const NAME = "ap.session";

export function browserTabSync(): TabSync {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  const channel = typeof BroadcastChannel !== "undefined" ? new BroadcastChannel(NAME) : null;
  return {
    exclusive: <T>(task: () => Promise<T>) => (locks ? (locks.request(NAME, task) as Promise<T>) : task()),
    post: (message) => channel?.postMessage(message),
    subscribe: (listener) => {
      if (!channel) return () => undefined;
      const onMessage = (event: MessageEvent<TabMessage>) => listener(event.data);
      channel.addEventListener("message", onMessage);
      return () => channel.removeEventListener("message", onMessage);
    },
  };
}

/** A tab on its own (tests, or a browser without the APIs). */
export const soloTabSync: TabSync = {
  exclusive: (task) => task(),
  post: () => undefined,
  subscribe: () => () => undefined,
};
