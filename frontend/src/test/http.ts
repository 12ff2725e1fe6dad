/** Fake API answers for component tests that stub `fetch`, and the fakes the ApiClient tests build it with. */
import { vi } from "vitest";

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** The API's page-number pagination of `rows` for the request `url`: absolute `next` links carrying
 * every query parameter, as the server writes them. */
export function pageOf<T>(rows: T[], url: URL) {
  const page = Number(url.searchParams.get("page") ?? 1);
  const size = Number(url.searchParams.get("page_size") ?? 25);
  let next: string | null = null;
  if (page * size < rows.length) {
    const link = new URL(url.pathname + url.search, "http://testserver");
    link.searchParams.set("page", String(page + 1));
    next = link.toString();
  }
  return { count: rows.length, next, previous: null, results: rows.slice((page - 1) * size, page * size) };
}

export const problem = (status: number, code: string, detail: string, errors?: Record<string, string[]>) =>
  new Response(JSON.stringify({ type: `urn:x:${code}`, title: "t", status, detail, code, errors }), {
    status,
    headers: { "Content-Type": "application/problem+json" },
  });

export function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

export type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;
export function fakeFetch(handler: Handler) {
  return vi.fn((input: RequestInfo | URL, init?: RequestInit) => Promise.resolve(handler(String(input), init ?? {})));
}
