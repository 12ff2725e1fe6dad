import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { createQueryClient } from "../../api/queryClient";
import type { ArticleListItem, CategoryNode, Workspace } from "../../api/types";
import { AppProviders } from "../../App";
import i18n from "../../i18n";
import { WorkspaceProvider } from "../workspaces/workspace";
import { flatten, isWithin } from "./api";
import { KnowledgePage } from "./KnowledgePage";
import { Snippet } from "./SearchPanel";
import { json, pageOf } from "../../test/http";

const node = (id: number, children: CategoryNode[] = []): CategoryNode =>
  ({ id, name: `c${id}`, description: "", order: 0, parent_id: null, article_count: 0, children }) as CategoryNode;
const tree = [node(1, [node(2, [node(3)])]), node(4)];

describe("category tree helpers", () => {
  it("flattens depth-first with depths", () => {
    expect(flatten(tree).map(([n, d]) => [n.id, d])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 0],
    ]);
  });

  it("refuses moving a category into its own subtree", () => {
    expect(isWithin(tree, 1, 3)).toBe(true);
    expect(isWithin(tree, 1, 1)).toBe(true);
    expect(isWithin(tree, 2, 4)).toBe(false);
  });
});

describe("search snippets", () => {
  it("renders the API's <mark> highlights and nothing else as HTML", () => {
    const { container } = render(<Snippet html={"a &lt;b&gt; <mark>delivery</mark> &amp; <mark>express</mark>"} />);
    expect([...container.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["delivery", "express"]);
    expect(container.querySelector("b")).toBeNull();
    expect(container.textContent).toBe("a <b> delivery & express");
  });
});

const article = (n: number): ArticleListItem => ({
  id: n,
  title: `Article ${n}`,
  status: n % 5 === 0 ? "draft" : "published",
  language: "en",
  tags: [],
  categories: [],
  index: { state: "ready", progress: 100 } as ArticleListItem["index"],
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
});

describe("Article list paging", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  const listRequests = () =>
    fetch.mock.calls.map(([input]) => new URL(String(input), "http://localhost")).filter((url) => url.pathname === "/api/knowledge/articles");

  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    const articles = Array.from({ length: 130 }, (_, i) => article(i + 1));
    fetch.mockReset();
    fetch.mockImplementation(async (input) => {
      const url = new URL(String(input), "http://localhost");
      if (url.pathname === "/api/knowledge/categories/tree") return json([]);
      if (url.pathname === "/api/knowledge/articles") {
        const status = url.searchParams.get("status");
        const rows = status ? articles.filter((a) => a.status === status) : articles;
        return json(pageOf(rows, url));
      }
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  it("loads more articles and starts again from page 1 when a filter changes", { timeout: 15_000 }, async () => {
    render(
      <AppProviders queryClient={createQueryClient()}>
        <WorkspaceProvider workspaces={[{ id: 1, name: "Acme", role: "owner" } as unknown as Workspace]}>
          <KnowledgePage />
        </WorkspaceProvider>
      </AppProviders>,
    );
    const list = await screen.findByRole("list", { name: "Articles" });
    const rows = () => list.querySelectorAll(":scope > li");
    expect(rows()).toHaveLength(100);
    expect(screen.getByTestId("paging-count")).toHaveTextContent("Showing 100 of 130");
    expect(listRequests()[0].searchParams.get("ordering")).toBe("-updated_at,-created_at");

    await userEvent.click(screen.getByText("Load more"));
    await within(list).findByText("Article 130");
    expect(rows()).toHaveLength(130);
    expect(screen.queryByText("Load more")).not.toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText("Status"), "draft");
    await waitFor(() => expect(screen.getByRole("list", { name: "Articles" }).querySelectorAll(":scope > li")).toHaveLength(26));
    expect(listRequests().at(-1)!.searchParams.get("status")).toBe("draft");
    expect(listRequests().at(-1)!.searchParams.has("page")).toBe(false);
    expect(screen.queryByTestId("paging-count")).not.toBeInTheDocument();
  });
});
