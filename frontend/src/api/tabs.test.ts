import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "./client";
import { soloTabSync, type TabMessage, type TabSync } from "./tabs";
import { fakeFetch, json, memoryStorage, problem } from "../test/http";

const REFRESH = "/api/auth/session/refresh";

/**
 * One browser: one cookie jar the server rotates, one localStorage, and tabs that take turns (a lock
 * like Web Locks) and hear each other asynchronously (like BroadcastChannel).
 */
function fakeBrowser({ locks = true } = {}) {
  let cookie: string | null = "c1";
  let issued = 1;
  let tail: Promise<unknown> = Promise.resolve();
  const listeners = new Set<(message: TabMessage) => void>();
  let releasePasswordChange!: () => void;
  const passwordChange = new Promise<void>((resolve) => (releasePasswordChange = resolve));
  // The server without a grace window: a cookie it has rotated is refused.
  const fetch = fakeFetch(async (url) => {
    const presented = cookie;
    await new Promise((resolve) => setTimeout(resolve, 5)); // both requests in flight at once
    if (url === REFRESH) {
      if (presented === null || presented !== cookie) return problem(401, "token_not_valid", "Token is blacklisted");
      cookie = `c${++issued}`;
      return json({ access: `a${issued}` });
    }
    if (url === "/api/user/password") {
      await passwordChange;
      cookie = `c${++issued}`; // every other token of the user revoked, this browser's cookie replaced
      return json({ access: `a${issued}` });
    }
    if (url === "/api/auth/session/logout") {
      cookie = null;
      return new Response(null, { status: 204 });
    }
    return json({});
  });
  const sharedStorage = memoryStorage();
  const tab = () => {
    const own = new Set<(message: TabMessage) => void>();
    const tabs: TabSync = {
      exclusive: <T,>(task: () => Promise<T>) => {
        if (!locks) return task();
        const run = tail.then(task);
        tail = run.catch(() => undefined);
        return run;
      },
      post: (message) => {
        for (const listener of listeners) if (!own.has(listener)) queueMicrotask(() => listener(message));
      },
      subscribe: (listener) => {
        listeners.add(listener);
        own.add(listener);
        return () => listeners.delete(listener);
      },
    };
    return new ApiClient({ fetch, storage: memoryStorage(), sharedStorage, tabs });
  };
  return { tab, fetch, sharedStorage, releasePasswordChange };
}

describe("the tabs of one browser", () => {
  it("refresh at the same moment and both stay signed in: they take turns to rotate the cookie", async () => {
    const browser = fakeBrowser();
    const [one, two] = [browser.tab(), browser.tab()];
    const tokens = await Promise.all([one.refresh(), two.refresh()]);
    expect(tokens).toEqual(["a2", "a3"]);
    expect([one.accessToken(), two.accessToken()]).toEqual(["a2", "a3"]);
  });

  it("would log each other out without the turns (what the lock prevents; the server's grace window is the backstop)", async () => {
    const browser = fakeBrowser({ locks: false });
    const [one, two] = [browser.tab(), browser.tab()];
    const tokens = await Promise.all([one.refresh(), two.refresh()]);
    expect(tokens).toContain(null);
  });

  it("a password change in one tab holds the others' refreshes until the new cookie is in", async () => {
    const browser = fakeBrowser();
    const [one, two] = [browser.tab(), browser.tab()];
    await Promise.all([one.refresh(), two.refresh()]);
    const change = one.changePassword({ current_password: "old", new_password: "new" });
    await vi.waitFor(() => expect(browser.fetch.mock.calls.some(([url]) => url === "/api/user/password")).toBe(true));
    const refreshed = two.refresh(); // with the cookie the change is replacing, were it sent now
    await new Promise((resolve) => setTimeout(resolve, 20));
    browser.releasePasswordChange();
    await change;
    expect(await refreshed).toBe("a5");
    expect(one.accessToken()).toBe("a4");
    const body = JSON.parse(String(browser.fetch.mock.calls.find(([url]) => url === "/api/user/password")![1]!.body));
    expect(body).toEqual({ current_password: "old", new_password: "new", refresh_cookie: true });
  });

  it("a logout in one tab ends the other", async () => {
    const browser = fakeBrowser();
    const [one, two] = [browser.tab(), browser.tab()];
    await Promise.all([one.refresh(), two.refresh()]);
    const ended: string[] = [];
    two.subscribe((state, reason) => ended.push(`${state}:${reason}`));
    await one.logout();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(two.accessToken()).toBeNull();
    expect(ended).toEqual(["anonymous:logout"]);
    expect(two.hasSession()).toBe(false);
  });

  it("a solo tab still works on its own", async () => {
    const client = new ApiClient({ fetch: fakeFetch(() => json({ access: "x" })), storage: null, sharedStorage: null, tabs: soloTabSync });
    expect(await client.refresh()).toBe("x");
  });
});
