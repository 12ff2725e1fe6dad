import { describe, expect, it, vi } from "vitest";
import { ApiClient, SESSION_HINT_KEY } from "./client";
import { ApiError, problemFromResponse } from "./problem";
import { soloTabSync, type TabMessage, type TabSync } from "./tabs";
import { fakeFetch, json, memoryStorage, problem } from "../test/http";

const bearer = (init: RequestInit) => (init.headers as Record<string, string>).Authorization;
const REFRESH = "/api/auth/session/refresh";

/** A tab that records what it tells the others. */
function recordingTabs() {
  const posted: TabMessage[] = [];
  let listener: (message: TabMessage) => void = () => undefined;
  const tabs: TabSync = {
    exclusive: (task) => task(),
    post: (message) => void posted.push(message),
    subscribe: (l) => {
      listener = l;
      return () => undefined;
    },
  };
  return { tabs, posted, receive: (message: TabMessage) => listener(message) };
}

function signedIn(fetch: typeof globalThis.fetch, options: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}) {
  const client = new ApiClient({ fetch, storage: memoryStorage(), sharedStorage: memoryStorage(), tabs: soloTabSync, ...options });
  client.setAccess("old-access");
  return client;
}

describe("ApiClient refresh", () => {
  it("shares ONE refresh between concurrent 401s and retries each request with the new token", async () => {
    let release!: () => void;
    const refreshGate = new Promise<void>((resolve) => (release = resolve));
    const fetch = fakeFetch(async (url, init) => {
      if (url === REFRESH) {
        await refreshGate;
        return json({ access: "new-access" });
      }
      if (bearer(init) === "Bearer old-access") return problem(401, "token_not_valid", "Token is expired");
      return json({ url, token: bearer(init) });
    });
    const client = signedIn(fetch);

    const results = Promise.all(["/api/a", "/api/b", "/api/c"].map((path) => client.get<{ token: string }>(path)));
    await vi.waitFor(() => expect(fetch.mock.calls.filter(([u]) => u === REFRESH)).toHaveLength(1));
    release();

    const answers = await results;
    expect(answers.map((a) => a.token)).toEqual(Array(3).fill("Bearer new-access"));
    expect(fetch.mock.calls.filter(([u]) => u === REFRESH)).toHaveLength(1);
    // The refresh token is the cookie: the request carries no token of its own, and no body.
    const init = fetch.mock.calls.find(([u]) => u === REFRESH)![1]!;
    expect(init).toMatchObject({ method: "POST", credentials: "same-origin" });
    expect(init.body).toBeUndefined();
  });

  it("ends the session in every tab when the refresh is refused, and the request fails with the API's problem", async () => {
    const fetch = fakeFetch((url) =>
      url === REFRESH ? problem(401, "token_not_valid", "Token is blacklisted") : problem(401, "token_not_valid", "Token is expired"),
    );
    const shared = memoryStorage();
    const { tabs, posted } = recordingTabs();
    const client = signedIn(fetch, { sharedStorage: shared, tabs });
    expect(shared.data.get(SESSION_HINT_KEY)).toBe("1");
    const listener = vi.fn();
    client.subscribe(listener);

    const error = (await client.get("/api/workspaces").catch((e) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe("token_not_valid");
    expect(client.hasSession()).toBe(false);
    expect(client.accessToken()).toBeNull();
    expect(shared.data.has(SESSION_HINT_KEY)).toBe(false);
    expect(listener).toHaveBeenCalledWith("anonymous", "expired");
    expect(posted).toEqual([{ type: "logout", reason: "expired" }]);
  });

  it("ends the session when the password was changed elsewhere (session_ended, refresh revoked)", async () => {
    const fetch = fakeFetch((url) =>
      url === REFRESH
        ? problem(401, "token_not_valid", "Token is blacklisted")
        : problem(401, "session_ended", "This session has ended (the password was changed). Log in again."),
    );
    const client = signedIn(fetch);
    const listener = vi.fn();
    client.subscribe(listener);

    await client.get("/api/workspaces").catch(() => undefined);
    expect(fetch.mock.calls.filter(([u]) => u === REFRESH)).toHaveLength(1);
    expect(client.hasSession()).toBe(false);
    expect(listener).toHaveBeenCalledWith("anonymous", "expired");
  });

  it("a new tab (or a reload) refreshes first when the browser has a session", async () => {
    const fetch = fakeFetch((url, init) => (url === REFRESH ? json({ access: "fresh" }) : json({ token: bearer(init) })));
    const client = new ApiClient({ fetch, storage: memoryStorage(), sharedStorage: memoryStorage({ [SESSION_HINT_KEY]: "1" }), tabs: soloTabSync });
    expect(client.hasSession()).toBe(true);
    expect(client.accessToken()).toBeNull();
    expect(await client.get("/api/workspaces")).toEqual({ token: "Bearer fresh" });
    expect(fetch.mock.calls.map(([u]) => u)).toEqual([REFRESH, "/api/workspaces"]);
  });

  it("a visitor's page sends no refresh that can only fail", async () => {
    const fetch = fakeFetch(() => json({}));
    const client = new ApiClient({ fetch, storage: memoryStorage(), sharedStorage: memoryStorage(), tabs: soloTabSync });
    expect(await client.ensureAccess()).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
  });

  it("does not refresh for requests sent without auth (a failed login is just an error)", async () => {
    const fetch = fakeFetch(() => problem(401, "invalid_credentials", "Invalid email or password."));
    const client = new ApiClient({ fetch, storage: memoryStorage(), sharedStorage: memoryStorage(), tabs: soloTabSync });
    const error = (await client.login("a@b.c", "x").catch((e) => e)) as ApiError;
    expect(error.detail).toBe("Invalid email or password.");
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("keeps the session on a network error during refresh", async () => {
    const fetch = vi.fn((input: RequestInfo | URL) =>
      String(input) === REFRESH ? Promise.reject(new TypeError("Failed to fetch")) : Promise.resolve(problem(401, "token_not_valid", "expired")),
    );
    const client = signedIn(fetch);
    const error = (await client.get("/api/x").catch((e) => e)) as ApiError;
    expect(error.code).toBe("network_error");
    expect(client.hasSession()).toBe(true);
  });
});

describe("ApiClient session", () => {
  it("logs in asking for the refresh token as a cookie, and tells the other tabs", async () => {
    const fetch = fakeFetch(() => json({ access: "a", user: {} }));
    const shared = memoryStorage();
    const { tabs, posted } = recordingTabs();
    const client = new ApiClient({ fetch, storage: memoryStorage(), sharedStorage: shared, tabs });
    await client.login("a@b.c", "secret");
    expect(JSON.parse(String(fetch.mock.calls[0][1]!.body))).toEqual({ email: "a@b.c", password: "secret", refresh_cookie: true });
    expect(client.accessToken()).toBe("a");
    expect(shared.data.get(SESSION_HINT_KEY)).toBe("1");
    expect(posted).toEqual([{ type: "login" }]);
  });

  it("logout ends the cookie's session and every tab, even if the server fails", async () => {
    const fetch = fakeFetch(() => new Response("", { status: 502 }));
    const { tabs, posted } = recordingTabs();
    const exclusive = vi.spyOn(tabs, "exclusive");
    const client = signedIn(fetch, { tabs });
    await client.logout();
    expect(fetch.mock.calls[0][0]).toBe("/api/auth/session/logout");
    expect(fetch.mock.calls[0][1]!.body).toBeUndefined();
    expect(exclusive).toHaveBeenCalledTimes(1); // not in the middle of another tab's refresh
    expect(client.hasSession()).toBe(false);
    expect(posted).toEqual([{ type: "logout", reason: "logout" }]);
  });

  it("a logout in another tab ends this tab's session without a request", async () => {
    const fetch = fakeFetch(() => json({}));
    const { tabs, receive } = recordingTabs();
    const client = signedIn(fetch, { tabs });
    const listener = vi.fn();
    client.subscribe(listener);
    receive({ type: "logout", reason: "logout" });
    expect(client.accessToken()).toBeNull();
    expect(listener).toHaveBeenCalledWith("anonymous", "logout");
    expect(fetch).not.toHaveBeenCalled();
  });

  it("a login in another tab signs this one in through the shared cookie", async () => {
    const fetch = fakeFetch((url) => (url === REFRESH ? json({ access: "joined" }) : json({})));
    const { tabs, receive } = recordingTabs();
    const client = new ApiClient({ fetch, storage: memoryStorage(), sharedStorage: memoryStorage(), tabs });
    const listener = vi.fn();
    client.subscribe(listener);
    receive({ type: "login" });
    await vi.waitFor(() => expect(listener).toHaveBeenCalledWith("authenticated", undefined));
    expect(client.accessToken()).toBe("joined");
  });
});

describe("ApiClient requests", () => {
  it("sends X-Workspace and JSON, and remembers the workspace for the tab", async () => {
    const fetch = fakeFetch(() => json({}));
    const storage = memoryStorage();
    const client = signedIn(fetch, { storage });
    client.setWorkspace(7);
    await client.post("/api/things", { name: "x" }, { query: { page: 2, q: "" } });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe("/api/things?page=2");
    expect(init!.headers).toMatchObject({ "X-Workspace": "7", "Content-Type": "application/json", Authorization: "Bearer old-access" });
    expect(storage.data.get("ap.workspace")).toBe("7");
    await client.get("/api/workspaces", { workspace: false });
    expect(fetch.mock.calls[1][1]!.headers).not.toHaveProperty("X-Workspace");
  });
});

describe("problem parsing", () => {
  it("reads RFC 9457 problems with field errors", async () => {
    const error = await problemFromResponse(
      problem(400, "validation_error", "email: Enter a valid email address.", { email: ["Enter a valid email address."] }),
    );
    expect(error).toMatchObject({ status: 400, code: "validation_error", detail: "email: Enter a valid email address." });
    expect(error.fieldError("email")).toBe("Enter a valid email address.");
    expect(error.message).toBe("email: Enter a valid email address.");
  });

  it("turns a non-problem response into a typed error too", async () => {
    const error = await problemFromResponse(new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    expect(error).toMatchObject({ status: 502, code: "server_error", detail: "Bad Gateway" });
    expect(error.fieldErrors).toEqual({});
  });
});
