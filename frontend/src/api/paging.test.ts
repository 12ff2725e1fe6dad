import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "./client";
import { fetchAllPages, linkPath, pageItems, withPageSize } from "./paging";
import { json } from "../test/http";


describe("paging helpers", () => {
  it("keeps only the path and query of the API's absolute links", () => {
    expect(linkPath("http://127.0.0.1:8000/api/conversations?page=2&page_size=50&status=open")).toBe("/api/conversations?page=2&page_size=50&status=open");
    expect(linkPath("/api/agents?page=3")).toBe("/api/agents?page=3");
    expect(linkPath(null)).toBeNull();
    expect(linkPath("")).toBeNull();
  });

  it("changes the page size of a cursor link and keeps the cursor", () => {
    expect(withPageSize("/api/conversations/7/messages?cursor=cD0yMDI2&page_size=100", 50)).toBe("/api/conversations/7/messages?cursor=cD0yMDI2&page_size=50");
  });

  it("lists each row once across pages, in page order", () => {
    const pages = [{ results: [{ id: 1 }, { id: 2 }] }, { results: [{ id: 2 }, { id: 3 }] }];
    expect(pageItems(pages).map((r) => r.id)).toEqual([1, 2, 3]);
    const versions = [{ results: [{ number: 3 }, { number: 2 }] }, { results: [{ number: 2 }, { number: 1 }] }];
    expect(pageItems(versions, (v) => v.number).map((v) => v.number)).toEqual([3, 2, 1]);
  });
});

describe("fetchAllPages", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  beforeEach(() => {
    api.setAccess("a");
    fetch.mockReset();
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  it("follows the next links to the end", async () => {
    fetch
      .mockResolvedValueOnce(json({ count: 3, next: "http://testserver/api/agents?ordering=name&page=2&page_size=2", previous: null, results: [{ id: 1 }, { id: 2 }] }))
      .mockResolvedValueOnce(json({ count: 3, next: null, previous: "http://testserver/api/agents?ordering=name&page_size=2", results: [{ id: 3 }] }));
    const rows = await fetchAllPages<{ id: number }>("/api/agents", { query: { ordering: "name", page_size: 2 } });
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(fetch.mock.calls.map(([url]) => String(url))).toEqual(["/api/agents?ordering=name&page_size=2", "/api/agents?ordering=name&page=2&page_size=2"]);
  });
});
