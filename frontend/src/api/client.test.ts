import { describe, expect, it, vi } from "vitest";
import { ApiClient, REFRESH_KEY } from "./client";
import { ApiError, problemFromResponse } from "./problem";
import { json } from "../test/http";

const problem = (status: number, code: string, detail: string, errors?: Record<string, string[]>) =>
  new Response(JSON.stringify({ type: `urn:x:${code}`, title: "t", status, detail, code, errors }), {
    status,
    headers: { "Content-Type": "application/problem+json" },
  });

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;
function fakeFetch(handler: Handler) {
  return vi.fn((input: RequestInfo | URL, init?: RequestInit) => Promise.resolve(handler(String(input), init ?? {})));
}
const bearer = (init: RequestInit) => (init.headers as Record<string, string>).Authorization;

describe("ApiClient refresh", () => {
  it("shares ONE refresh between concurrent 401s and retries each request with the new token", async () => {
    let release!: () => void;
    const refreshGate = new Promise<void>((resolve) => (release = resolve));
    const fetch = fakeFetch(async (url, init) => {
      if (url === "/api/auth/refresh") {
        await refreshGate;
        return json({ access: "new-access", refresh: "new-refresh" });
      }
      if (bearer(init) === "Bearer old-access") return problem(401, "token_not_valid", "Token is expired");
      return json({ url, token: bearer(init) });
    });
    const storage = memoryStorage();
    const client = new ApiClient({ fetch, storage });
    client.setTokens({ access: "old-access", refresh: "old-refresh" });

    const results = Promise.all(["/api/a", "/api/b", "/api/c"].map((path) => client.get<{ token: string }>(path)));
    await vi.waitFor(() => expect(fetch.mock.calls.filter(([u]) => u === "/api/auth/refresh")).toHaveLength(1));
    release();

    const answers = await results;
    expect(answers.map((a) => a.token)).toEqual(Array(3).fill("Bearer new-access"));
    expect(fetch.mock.calls.filter(([u]) => u === "/api/auth/refresh")).toHaveLength(1);
    const refreshBody = JSON.parse(String(fetch.mock.calls.find(([u]) => u === "/api/auth/refresh")![1]!.body));
    expect(refreshBody).toEqual({ refresh: "old-refresh" });
    // Rotation: the new refresh token replaces the old one in the tab's storage.
    expect(storage.data.get(REFRESH_KEY)).toBe("new-refresh");
  });

  it("ends the session when the refresh is refused, and the request fails with the API's problem", async () => {
    const fetch = fakeFetch((url) =>
      url === "/api/auth/refresh"
        ? problem(401, "token_not_valid", "Token is blacklisted")
        : problem(401, "token_not_valid", "Token is expired"),
    );
    const storage = memoryStorage();
    const client = new ApiClient({ fetch, storage });
    client.setTokens({ access: "a", refresh: "r" });
    const listener = vi.fn();
    client.subscribe(listener);

    const error = (await client.get("/api/workspaces").catch((e) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe("token_not_valid");
    expect(client.hasSession()).toBe(false);
    expect(client.accessToken()).toBeNull();
    expect(storage.data.has(REFRESH_KEY)).toBe(false);
    expect(listener).toHaveBeenCalledWith("anonymous", "expired");
  });

  it("ends the session when the password was changed elsewhere (session_ended, refresh revoked)", async () => {
    const fetch = fakeFetch((url) =>
      url === "/api/auth/refresh"
        ? problem(401, "token_not_valid", "Token is blacklisted")
        : problem(401, "session_ended", "This session has ended (the password was changed). Log in again."),
    );
    const client = new ApiClient({ fetch, storage: memoryStorage() });
    client.setTokens({ access: "a", refresh: "r" });
    const listener = vi.fn();
    client.subscribe(listener);

    await client.get("/api/workspaces").catch(() => undefined);
    expect(fetch.mock.calls.filter(([u]) => u === "/api/auth/refresh")).toHaveLength(1);
    expect(client.hasSession()).toBe(false);
    expect(listener).toHaveBeenCalledWith("anonymous", "expired");
  });

  it("refreshes first after a reload, when only the refresh token is known", async () => {
    const fetch = fakeFetch((url, init) =>
      url === "/api/auth/refresh" ? json({ access: "fresh", refresh: "r2" }) : json({ token: bearer(init) }),
    );
    const client = new ApiClient({ fetch, storage: memoryStorage({ [REFRESH_KEY]: "r1" }) });
    expect(client.hasSession()).toBe(true);
    expect(await client.get("/api/workspaces")).toEqual({ token: "Bearer fresh" });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("does not refresh for requests sent without auth (a failed login is just an error)", async () => {
    const fetch = fakeFetch(() => problem(401, "no_active_account", "No active account found with the given credentials"));
    const client = new ApiClient({ fetch, storage: memoryStorage() });
    const error = (await client.login("a@b.c", "x").catch((e) => e)) as ApiError;
    expect(error.detail).toBe("No active account found with the given credentials");
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("keeps the session on a network error during refresh", async () => {
    const fetch = vi.fn((input: RequestInfo | URL) =>
      String(input) === "/api/auth/refresh" ? Promise.reject(new TypeError("Failed to fetch")) : Promise.resolve(problem(401, "token_not_valid", "expired")),
    );
    const client = new ApiClient({ fetch, storage: memoryStorage() });
    client.setTokens({ access: "a", refresh: "r" });
    const error = (await client.get("/api/x").catch((e) => e)) as ApiError;
    expect(error.code).toBe("network_error");
    expect(client.hasSession()).toBe(true);
  });
});

describe("ApiClient requests", () => {
  it("sends X-Workspace and JSON, and remembers the workspace for the tab", async () => {
    const fetch = fakeFetch(() => json({}));
    const storage = memoryStorage();
    const client = new ApiClient({ fetch, storage });
    client.setTokens({ access: "a", refresh: "r" });
    client.setWorkspace(7);
    await client.post("/api/things", { name: "x" }, { query: { page: 2, q: "" } });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe("/api/things?page=2");
    expect(init!.headers).toMatchObject({ "X-Workspace": "7", "Content-Type": "application/json", Authorization: "Bearer a" });
    expect(storage.data.get("ap.workspace")).toBe("7");
    await client.get("/api/workspaces", { workspace: false });
    expect(fetch.mock.calls[1][1]!.headers).not.toHaveProperty("X-Workspace");
  });

  it("logout blacklists the refresh token and clears the session even if the server fails", async () => {
    const fetch = fakeFetch(() => new Response("", { status: 502 }));
    const client = new ApiClient({ fetch, storage: memoryStorage() });
    client.setTokens({ access: "a", refresh: "r" });
    await client.logout();
    expect(fetch.mock.calls[0][0]).toBe("/api/auth/logout");
    expect(JSON.parse(String(fetch.mock.calls[0][1]!.body))).toEqual({ refresh: "r" });
    expect(client.hasSession()).toBe(false);
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
