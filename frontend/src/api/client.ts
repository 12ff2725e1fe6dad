/**
 * The typed API client: fetch + JWT + the current workspace + problem+json errors.
 *
 * Tokens: the ACCESS token lives in memory only (a module field; gone on reload). The REFRESH token
 * is an HttpOnly cookie that script never sees, sent by the browser only to /api/auth/session/…
 * (refresh, logout); login asks for it with `refresh_cookie`. Every tab of the browser shares it, so
 * a new tab or a reload gets its access token with one refresh. The tabs take turns to refresh (the
 * server rotates the cookie) and a logout in one ends every tab (tabs.ts). `localStorage` keeps only
 * a hint that a session may exist (`ap.session`), so that a visitor's first page load sends no
 * refresh that can only fail.
 *
 * On a 401 the client refreshes once and retries; concurrent 401s share ONE in-flight refresh. If the
 * refresh itself is refused, the session ends (every tab is told) and callers get the error.
 */
import { ApiError, AUTH_CODES, networkError, problemFromResponse } from "./problem";
import { browserTabSync, type TabMessage, type TabSync } from "./tabs";

export type SessionState = "anonymous" | "authenticated";
export type SessionEndReason = "logout" | "expired";
type Listener = (state: SessionState, reason?: SessionEndReason) => void;

export interface RequestOptions {
  body?: unknown;
  /** Send the access token (default) and refresh on 401. */
  auth?: boolean;
  /** Send X-Workspace with the current workspace (default true). */
  workspace?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  query?: Record<string, string | number | boolean | undefined | null>;
}

type KeyValueStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  /** This tab's storage (the workspace choice): sessionStorage by default. */
  storage?: KeyValueStorage | null;
  /** The browser's storage, shared by the tabs (the session hint): localStorage by default. */
  sharedStorage?: KeyValueStorage | null;
  tabs?: TabSync;
}

export const SESSION_HINT_KEY = "ap.session";
export const WORKSPACE_KEY = "ap.workspace";
const SESSION_REFRESH = "/api/auth/session/refresh";
const SESSION_LOGOUT = "/api/auth/session/logout";

export class ApiClient {
  private access: string | null = null;
  private workspace: number | null;
  private refreshing: Promise<string | null> | null = null;
  private listeners = new Set<Listener>();
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly storage: ApiClientOptions["storage"];
  private readonly sharedStorage: ApiClientOptions["sharedStorage"];
  private readonly tabs: TabSync;

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? "";
    this.fetchImpl = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.storage = options.storage === undefined ? safeStorage("sessionStorage") : options.storage;
    this.sharedStorage = options.sharedStorage === undefined ? safeStorage("localStorage") : options.sharedStorage;
    this.tabs = options.tabs ?? browserTabSync();
    this.tabs.subscribe((message) => this.onTabMessage(message));
    const stored = Number(this.storage?.getItem(WORKSPACE_KEY) ?? NaN);
    this.workspace = Number.isInteger(stored) && stored > 0 ? stored : null;
  }

  // --- session ---------------------------------------------------------------------------------

  /** True when this browser may have a session (the access token may still need a refresh). */
  hasSession(): boolean {
    return this.access !== null || this.sharedStorage?.getItem(SESSION_HINT_KEY) === "1";
  }

  accessToken(): string | null {
    return this.access;
  }

  /** Take a new access token (login, refresh, password change: the refresh token is the cookie). */
  setAccess(access: string): void {
    const wasAuthenticated = this.access !== null;
    this.access = access;
    this.sharedStorage?.setItem(SESSION_HINT_KEY, "1");
    if (!wasAuthenticated) this.emit("authenticated");
  }

  /** Forget the access token (and the session hint) and tell the listeners — this tab only. */
  clearSession(reason: SessionEndReason = "logout"): void {
    const had = this.access !== null;
    this.access = null;
    this.refreshing = null;
    this.sharedStorage?.removeItem(SESSION_HINT_KEY);
    if (had) this.emit("anonymous", reason);
  }

  /** End the session in this tab and in the browser's other tabs. */
  private endSession(reason: SessionEndReason): void {
    this.clearSession(reason);
    this.tabs.post({ type: "logout", reason });
  }

  private onTabMessage(message: TabMessage): void {
    if (message.type === "logout") this.clearSession(message.reason);
    // Another tab logged in: this one joins the session (its cookie is now there).
    else if (this.access === null) void this.refresh().catch(() => undefined);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(state: SessionState, reason?: SessionEndReason): void {
    for (const listener of [...this.listeners]) listener(state, reason);
  }

  async login(email: string, password: string): Promise<void> {
    const { access } = await this.request<{ access: string }>("POST", "/api/auth/login", {
      body: { email, password, refresh_cookie: true },
      auth: false,
      workspace: false,
    });
    this.setAccess(access);
    this.tabs.post({ type: "login" });
  }

  /**
   * Change the password: the server ends every other session and answers with a new access token,
   * its refresh token replacing the cookie. Sent in this tab's turn, so that no tab refreshes with the
   * cookie being replaced (the server would refuse it and end the session everywhere).
   */
  async changePassword(passwords: { current_password: string; new_password: string }): Promise<void> {
    await this.ensureAccess();
    const { access } = await this.tabs.exclusive(async () => {
      const options = { body: { ...passwords, refresh_cookie: true }, workspace: false };
      let response = await this.send("POST", "/api/user/password", options, this.access);
      if (response.status === 401) {
        // The access token expired meanwhile: refresh here, in the turn (refresh() would wait for it).
        const token = await this.doRefresh();
        if (token) response = await this.send("POST", "/api/user/password", options, token);
      }
      if (!response.ok) throw await problemFromResponse(response);
      return (await response.json()) as { access: string };
    });
    this.setAccess(access);
  }

  /** End the session on the server (the cookie's session blacklisted, the cookie cleared: best
   * effort), then here and in every other tab. */
  async logout(): Promise<void> {
    await this.tabs.exclusive(async () => {
      try {
        await this.request("POST", SESSION_LOGOUT, { auth: false, workspace: false });
      } catch {
        // The session ends here regardless; an unreachable server must not keep the user in.
      }
    });
    this.endSession("logout");
  }

  /**
   * A fresh access token from the session cookie. Concurrent callers share one request, and the tabs
   * take turns. Returns null (and ends the session) when the server refuses it; throws on network
   * errors.
   */
  refresh(): Promise<string | null> {
    if (!this.refreshing) {
      this.refreshing = this.tabs.exclusive(() => this.doRefresh()).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<string | null> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(SESSION_REFRESH), {
        method: "POST",
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch (cause) {
      throw networkError(cause);
    }
    if (!response.ok) {
      if (response.status === 401) {
        this.endSession("expired");
        return null;
      }
      throw await problemFromResponse(response);
    }
    const { access } = (await response.json()) as { access: string };
    this.setAccess(access);
    return access;
  }

  /** The access token, refreshing first when the browser may have a session (a new tab, a reload). */
  async ensureAccess(): Promise<string | null> {
    if (this.access) return this.access;
    if (!this.hasSession()) return null;
    return this.refresh();
  }

  // --- workspace -------------------------------------------------------------------------------

  workspaceId(): number | null {
    return this.workspace;
  }

  /** The workspace sent as X-Workspace. Kept per tab (sessionStorage): a UI choice, not domain data. */
  setWorkspace(id: number | null): void {
    this.workspace = id;
    if (id === null) this.storage?.removeItem(WORKSPACE_KEY);
    else this.storage?.setItem(WORKSPACE_KEY, String(id));
  }

  // --- requests --------------------------------------------------------------------------------

  get<T>(path: string, options?: RequestOptions) {
    return this.request<T>("GET", path, options);
  }
  post<T>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>("POST", path, { ...options, body });
  }
  patch<T>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>("PATCH", path, { ...options, body });
  }
  put<T>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>("PUT", path, { ...options, body });
  }
  delete<T = void>(path: string, options?: RequestOptions) {
    return this.request<T>("DELETE", path, options);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.fetchOk(method, path, options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A GET whose answer is a file (a CSV export): its body as a Blob, with the same auth and errors. */
  async blob(path: string, options: RequestOptions = {}): Promise<Blob> {
    const response = await this.fetchOk("GET", path, { ...options, headers: { Accept: "*/*", ...options.headers } });
    return response.blob();
  }

  /** Send with the access token (refreshed once on a 401); a problem response is thrown. */
  private async fetchOk(method: string, path: string, options: RequestOptions): Promise<Response> {
    const auth = options.auth ?? true;
    let token = auth ? await this.ensureAccess() : null;
    let response = await this.send(method, path, options, token);
    if (response.status === 401 && auth && this.hasSession()) {
      const problem = await problemFromResponse(response.clone());
      if (AUTH_CODES.has(problem.code)) {
        // Another request may have refreshed while this one was in flight: reuse its token.
        token = this.access && this.access !== token ? this.access : await this.refresh();
        if (token === null) throw problem;
        response = await this.send(method, path, options, token);
      }
    }
    if (!response.ok) {
      const error = await problemFromResponse(response);
      // Refused even after a refresh: this tab signs out (the other tabs' own refreshes decide for them).
      if (error.status === 401 && auth && AUTH_CODES.has(error.code)) this.clearSession("expired");
      throw error;
    }
    return response;
  }

  private async send(method: string, path: string, options: RequestOptions, token: string | null) {
    const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
    let body: BodyInit | undefined;
    if (options.body instanceof FormData) {
      body = options.body;
    } else if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    if (token) headers.Authorization = `Bearer ${token}`;
    if ((options.workspace ?? true) && this.workspace !== null) headers["X-Workspace"] = String(this.workspace);
    Object.assign(headers, options.headers);
    try {
      return await this.fetchImpl(this.url(path, options.query), { method, headers, body, signal: options.signal });
    } catch (cause) {
      throw networkError(cause);
    }
  }

  private url(path: string, query?: RequestOptions["query"]): string {
    let url = this.baseUrl + path;
    if (query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
      }
      const qs = params.toString();
      if (qs) url += (url.includes("?") ? "&" : "?") + qs;
    }
    return url;
  }
}

function safeStorage(name: "sessionStorage" | "localStorage"): Storage | null {
  try {
    return typeof globalThis[name] === "undefined" ? null : globalThis[name];
  } catch {
    return null; // storage disabled
  }
}

/** The application's client. Tests build their own with a fake fetch, storage and tabs. */
export const api = new ApiClient();
export { ApiError };
