import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { createQueryClient } from "../../api/queryClient";
import type { Workspace } from "../../api/types";
import { AppProviders } from "../../App";
import i18n from "../../i18n";
import { json, pageOf } from "../../test/http";
import { WorkspaceProvider } from "../workspaces/workspace";
import { KnowledgePage } from "./KnowledgePage";

/** The knowledge page's ways in (files, a web page), the search's relevance and "no results", and
 * the article list's detected language — against a stubbed API. */

const ready = { state: "ready", progress: 100, error: "", attempts: 1, changed_at: "", indexed_at: null };
const listItem = (id: number, title: string, detected_language: string) => ({
  id,
  title,
  status: "published",
  language: "",
  detected_language,
  tags: [],
  source: "manual",
  source_url: "",
  categories: [],
  index: ready,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
});
const detail = (id: number, title: string, fileId: number, fileName: string) => ({
  ...listItem(id, title, "en"),
  body: "",
  url_resync: false,
  url_synced_at: null,
  relations: [],
  files: [{ id: fileId, article: id, name: fileName, content_type: "text/markdown", size: 10, sha256: "", index: ready, created_at: "" }],
});

describe("Knowledge page", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  const posts = () =>
    fetch.mock.calls
      .filter(([, init]) => init?.method === "POST")
      .map(([input, init]) => ({ path: new URL(String(input), "http://localhost").pathname, body: init!.body }));

  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    fetch.mockReset();
    fetch.mockImplementation(async (input, init) => {
      const url = new URL(String(input), "http://localhost");
      const path = url.pathname;
      if (path === "/api/knowledge/categories/tree")
        return json([{ id: 7, name: "Shipping", description: "", order: 0, parent_id: null, article_count: 0, children: [] }]);
      if (path === "/api/knowledge/articles") {
        const rows = [listItem(1, "Доставка", "ru"), listItem(2, "Returns", "en")];
        const language = url.searchParams.get("language");
        return json(pageOf(language ? rows.filter((r) => r.detected_language === language) : rows, url));
      }
      if (path === "/api/knowledge/articles/import-file" && init?.method === "POST") {
        const file = (init.body as FormData).get("file") as File;
        const id = file.name === "a.md" ? 11 : 12;
        return json(detail(id, file.name.replace(/\.md$/, ""), id + 100, file.name), 201);
      }
      if (path === "/api/knowledge/articles/2/files" && init?.method === "POST")
        return json({ id: 300, article: 2, name: "c.md", index: ready }, 201);
      if (path === "/api/knowledge/articles/import-url") {
        const body = JSON.parse(String(init!.body));
        if (body.url.includes("private")) return json({ type: "about:blank", title: "Bad", status: 400, code: "url_rejected", detail: "That address is not public." }, 400);
        return json(detail(20, "Store hours", 0, ""), 201);
      }
      const match = path.match(/^\/api\/knowledge\/articles\/(\d+)$/);
      if (match) return json(detail(Number(match[1]), "Store hours", Number(match[1]) + 100, "a.md"));
      if (path === "/api/knowledge/search") {
        if (url.searchParams.get("q") === "quantum physics") return json({ query: "", mode: "hybrid", results: [] });
        return json({
          query: "",
          mode: "hybrid",
          results: [{ chunk_id: 1, article_id: 2, article_title: "Returns", file_id: null, file_name: null, heading: "", page: null, char_start: 0, char_end: 5, snippet: "<mark>return</mark>", score: 0.0164, relevance: "high", distance: 0.4, text_rank: 1.2, fulltext_rank: 1, semantic_rank: 1, language: "en" }],
        });
      }
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  function renderPage() {
    render(
      <AppProviders queryClient={createQueryClient()}>
        <WorkspaceProvider workspaces={[{ id: 1, name: "Acme", role: "owner" } as unknown as Workspace]}>
          <KnowledgePage />
        </WorkspaceProvider>
      </AppProviders>,
    );
  }

  it("shows each article's detected language and filters by it", async () => {
    renderPage();
    const list = await screen.findByRole("list", { name: "Articles" });
    expect(within(list).getAllByTestId("article-language").map((el) => el.textContent)).toEqual(["Russian", "English"]);
    await userEvent.selectOptions(screen.getByLabelText("Language"), "ru");
    await waitFor(() => expect(screen.getAllByTestId("article-language")).toHaveLength(1));
  });

  it("uploads files as new articles in a category, or into an existing article", async () => {
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "Upload files" }));
    const dialog = screen.getByRole("dialog");
    await userEvent.upload(within(dialog).getByLabelText("Files to upload"), [new File(["A"], "a.md"), new File(["B"], "b.md")]);
    await userEvent.selectOptions(within(dialog).getByLabelText("Category"), "7");
    await userEvent.click(within(dialog).getByRole("button", { name: "Upload" }));
    await waitFor(() => expect(within(dialog).getAllByText("Indexed")).toHaveLength(2));
    const sent = posts().filter((p) => p.path === "/api/knowledge/articles/import-file");
    expect(sent.map((p) => ((p.body as FormData).get("file") as File).name)).toEqual(["a.md", "b.md"]);
    expect(sent.map((p) => (p.body as FormData).get("categories"))).toEqual(["7", "7"]);

    await userEvent.click(within(dialog).getByLabelText("Into an existing article"));
    await userEvent.upload(within(dialog).getByLabelText("Files to upload"), new File(["C"], "c.md"));
    await userEvent.click(within(dialog).getByRole("button", { name: "Upload" }));
    expect(await within(dialog).findByText("Choose the article the files go into.")).toBeInTheDocument();
    await userEvent.selectOptions(await within(dialog).findByLabelText("Article"), "2");
    await userEvent.click(within(dialog).getByRole("button", { name: "Upload" }));
    await waitFor(() => expect(posts().some((p) => p.path === "/api/knowledge/articles/2/files")).toBe(true));
  });

  it("imports a web page and shows its status, or why it was refused", async () => {
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "Import from URL" }));
    const dialog = screen.getByRole("dialog");
    await userEvent.type(within(dialog).getByLabelText("Page address"), "http://private.local/");
    await userEvent.click(within(dialog).getByRole("button", { name: "Import" }));
    expect(await within(dialog).findByText("That address is not public.")).toBeInTheDocument();
    await userEvent.clear(within(dialog).getByLabelText("Page address"));
    await userEvent.type(within(dialog).getByLabelText("Page address"), "https://example.com/hours");
    await userEvent.click(within(dialog).getByLabelText("Keep in sync"));
    await userEvent.click(within(dialog).getByRole("button", { name: "Import" }));
    const status = within(dialog).getByTestId("url-import-status");
    await waitFor(() => expect(status).toHaveTextContent("Imported “Store hours”."));
    expect(status).toHaveTextContent("Indexed");
    const sent = posts().filter((p) => p.path === "/api/knowledge/articles/import-url");
    expect(JSON.parse(String(sent.at(-1)!.body))).toEqual({ url: "https://example.com/hours", categories: [], resync: true });
  });

  it("labels a result's relevance and says when nothing is close", async () => {
    renderPage();
    await userEvent.click(await screen.findByRole("tab", { name: "Search" }));
    const box = screen.getByPlaceholderText("Ask what a customer would ask…");
    await userEvent.type(box, "can I return it{Enter}");
    const results = await screen.findByRole("list", { name: "Search results" });
    expect(results).toHaveTextContent("High relevance");
    expect(results).not.toHaveTextContent("0.016");
    await userEvent.clear(box);
    await userEvent.type(box, "quantum physics{Enter}");
    expect(await screen.findByText("No results")).toBeInTheDocument();
  });
});
