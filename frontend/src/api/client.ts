/**
 * The typed API client: fetch + JWT + the current workspace + problem+json errors.
 *
 * Tokens: the ACCESS token lives in memory only (a module field; gone on reload). The REFRESH token
 * lives in memory and in sessionStorage, so that a reload of the tab keeps the session while closing
 * the tab ends it. sessionStorage rather than localStorage because the server rotates refresh tokens
 * and blacklists the old one: tabs sharing one stored refresh token would race and log each other out,
 * while each tab with its own chain never does. It is readable by script in the page, like anything in
 * memory; an HttpOnly cookie would need server-side CSRF handling and is a later option.
 *
 * On a 401 the client refreshes once and retries; concurrent 401s share ONE in-flight refresh. If the
 * refresh itself is refused, the session ends (tokens cleared, listeners told) and callers get the error.
 */
import { ApiError, AUTH_CODES, networkError, problemFromResponse } from "./problem";

export interface TokenPair {
  access: string;
  refresh: string;
}

export type SessionState = "anonymous" | "authenticated";
type Listener = (state: SessionState, reason?: "logout" | "expired") => void;

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

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null;
}

export const REFRESH_KEY = "ap.refresh";
export const WORKSPACE_KEY = "ap.workspace";

export class ApiClient {
  private access: string | null = null;
  private refreshToken: string | null;
  private workspace: number | null;
  private refreshing: Promise<string | null> | null = null;
  private listeners = new Set<Listener>();
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly storage: ApiClientOptions["storage"];

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? "";
    this.fetchImpl = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.storage = options.storage === undefined ? safeSessionStorage() : options.storage;
    this.refreshToken = this.storage?.getItem(REFRESH_KEY) ?? null;
    const stored = Number(this.storage?.getItem(WORKSPACE_KEY) ?? NaN);
    this.workspace = Number.isInteger(stored) && stored > 0 ? stored : null;
  }

  // --- session ---------------------------------------------------------------------------------

  /** True when a refresh token is held (the session may still need a refresh to be usable). */
  hasSession(): boolean {
    return this.refreshToken !== null;
  }

  accessToken(): string | null {
    return this.access;
  }

  setTokens(tokens: TokenPair): void {
    const wasAuthenticated = this.access !== null;
    this.access = tokens.access;
    this.refreshToken = tokens.refresh;
    this.storage?.setItem(REFRESH_KEY, tokens.refresh);
    if (!wasAuthenticated) this.emit("authenticated");
  }

  /** Forget the tokens (and the workspace choice) and tell the listeners. */
  clearSession(reason: "logout" | "expired" = "logout"): void {
    const had = this.access !== null || this.refreshToken !== null;
    this.access = null;
    this.refreshToken = null;
    this.refreshing = null;
    this.storage?.removeItem(REFRESH_KEY);
    if (had) this.emit("anonymous", reason);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(state: SessionState, reason?: "logout" | "expired"): void {
    for (const listener of [...this.listeners]) listener(state, reason);
  }

  async login(email: string, password: string): Promise<void> {
    const tokens = await this.request<TokenPair>("POST", "/api/auth/login", {
      body: { email, password },
      auth: false,
      workspace: false,
    });
    this.setTokens(tokens);
  }

  /** Blacklist the refresh token on the server (best effort), then end the session locally. */
  async logout(): Promise<void> {
    const refresh = this.refreshToken;
    if (refresh) {
      try {
        await this.request("POST", "/api/auth/logout", { body: { refresh }, workspace: false });
      } catch {
        // The local session ends regardless; an unreachable server must not keep the user in.
      }
    }
    this.clearSession("logout");
  }

  /**
   * A fresh access token from the refresh token. Concurrent callers share one request. Returns null
   * (and ends the session) when the server refuses the refresh token; throws on network errors.
   */
  refresh(): Promise<string | null> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<string | null> {
    const refresh = this.refreshToken;
    if (!refresh) return null;
    let response: Response;
    try {
      response = await this.fetchImpl(this.url("/api/auth/refresh"), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ refresh }),
      });
    } catch (cause) {
      throw networkError(cause);
    }
    if (!response.ok) {
      if (response.status === 400 || response.status === 401) {
        this.clearSession("expired");
        return null;
      }
      throw await problemFromResponse(response);
    }
    const tokens = (await response.json()) as TokenPair;
    this.setTokens(tokens);
    return tokens.access;
  }

  /** The access token, refreshing first when only a refresh token is held (e.g. after a reload). */
  async ensureAccess(): Promise<string | null> {
    if (this.access) return this.access;
    if (!this.refreshToken) return null;
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
    const auth = options.auth ?? true;
    let token = auth ? await this.ensureAccess() : null;
    let response = await this.send(method, path, options, token);
    if (response.status === 401 && auth && this.refreshToken) {
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
      if (error.status === 401 && auth && AUTH_CODES.has(error.code)) this.clearSession("expired");
      throw error;
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
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

function safeSessionStorage(): Storage | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** The application's client. Tests build their own with a fake fetch and storage. */
export const api = new ApiClient();
export { ApiError };
