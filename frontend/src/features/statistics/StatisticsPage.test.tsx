import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import i18n from "../../i18n";
import { json, pageOf } from "../../test/http";
import { renderPage } from "../../test/render";
import { dashboard } from "../dashboard/testStatistics";
import type { Cluster } from "./api";
import { StatisticsPage } from "./StatisticsPage";

const usageRow = { calls: 0, failures: 0, input_tokens: 0, output_tokens: 0, cached_tokens: 0, total_tokens: 0, cost: "0" };

function cluster(values: Partial<Cluster> = {}): Cluster {
  return {
    id: 5,
    title: "How long does delivery to Berlin take?",
    count: 3,
    total: 4,
    reasons: { low_score: 3, handoff: 1, rejected: 0 },
    examples: [
      { id: 11, text: "When will my order arrive in Berlin?", conversation: 41, reasons: ["low_score"], created_at: "2026-12-04T10:00:00Z" },
      { id: 10, text: "Сколько идет доставка в Берлин?", conversation: 40, reasons: ["low_score", "handoff"], created_at: "2026-12-03T10:00:00Z" },
    ],
    status: "open",
    article: null,
    article_title: null,
    first_seen_at: "2026-12-01T10:00:00Z",
    last_seen_at: "2026-12-04T10:00:00Z",
    ...values,
  };
}

describe("Statistics page", () => {
  let clusters: Cluster[];
  let posts: { path: string; body: unknown }[];
  let authorization: Record<string, string | null>;
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("token-1");
    clusters = [cluster()];
    posts = [];
    authorization = {};
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(String(input), "http://testserver");
        const path = url.pathname;
        authorization[path] = new Headers(init?.headers).get("Authorization");
        if (init?.method === "POST") {
          const body = init.body ? JSON.parse(String(init.body)) : null;
          posts.push({ path, body });
          if (path === "/api/knowledge/articles") return json({ id: 77, title: body.title, categories: [], index: { state: "pending" } }, 201);
          const id = Number(path.split("/")[4]);
          const changed = path.endsWith("/dismiss") ? { status: "dismissed" as const } : { status: "resolved" as const, article: body.article, article_title: "Delivery to Berlin" };
          clusters = clusters.map((c) => (c.id === id ? { ...c, ...changed } : c));
          return json(clusters.find((c) => c.id === id));
        }
        if (path === "/api/statistics/dashboard") return json(dashboard({ conversations: 12 }));
        if (path === "/api/statistics/usage") {
          const group = url.searchParams.get("group_by");
          const rows =
            group === "agent"
              ? [{ ...usageRow, agent_id: 1, calls: 7, total_tokens: 1200, cost: "0.420000" }]
              : group === "model"
                ? [{ ...usageRow, provider: "openai", model_id: "gpt-4o-mini", calls: 7, total_tokens: 1200, cost: "0.420000" }]
                : [{ ...usageRow, date: "2026-12-04", calls: 7, total_tokens: 1200, cost: "0.420000" }];
          return json({ date_from: url.searchParams.get("date_from"), date_to: url.searchParams.get("date_to"), rows, totals: { ...rows[0] } });
        }
        if (path === "/api/agents") return json(pageOf([{ id: 1, name: "Support" }, { id: 2, name: "Sales" }], url));
        if (path === "/api/statistics/agents/1") return json(dashboard({ conversations: 9, ai_replies: 20, approval_rate: 0.75, handoff_rate: 0.1, cost: "0.420000" }));
        if (path === "/api/statistics/agents/2") return json({ status: 404, code: "not_found", detail: "Not found." }, 404);
        if (path === "/api/statistics/unanswered") return json(pageOf(clusters.filter((c) => c.status === url.searchParams.get("status")), url));
        if (path === "/api/statistics/export.csv") return new Response("date,conversations\n2026-12-04,12\n", { headers: { "Content-Type": "text/csv" } });
        if (path === "/api/knowledge/categories/tree") return json([]);
        return json({ detail: `unexpected ${path}` }, 500);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  it("shows the usage by agent and by model for the period's days, and each agent", async () => {
    renderPage(<StatisticsPage />);
    const byAgent = await screen.findByTestId("usage-by-agent");
    expect(within(byAgent).getAllByRole("row")[1]).toHaveTextContent(/Support\s*7\s*1,200\s*\$0\.42/);
    expect(within(await screen.findByTestId("usage-by-model")).getByText("openai: gpt-4o-mini")).toBeInTheDocument();
    const requests = vi.mocked(fetch).mock.calls.map(([input]) => String(input)).filter((u) => u.includes("/api/statistics/usage"));
    expect(requests.every((u) => u.includes("date_from=2026-11-28") && u.includes("date_to=2026-12-04"))).toBe(true);
    const agents = await screen.findByTestId("agent-performance");
    await vi.waitFor(() => expect(within(agents).getAllByRole("row")[1]).toHaveTextContent(/Support\s*9\s*20\s*75%\s*10%/));
    expect(within(agents).getAllByRole("row")[2]).toHaveTextContent("Sales");
    await vi.waitFor(() => expect(within(agents).getAllByRole("row")[2]).toHaveTextContent("No activity yet"));
  });

  it("lists unanswered questions with counts, reasons and examples linked to their conversations", async () => {
    renderPage(<StatisticsPage />);
    const card = await screen.findByTestId("unanswered-cluster");
    expect(within(card).getByRole("heading")).toHaveTextContent("How long does delivery to Berlin take?");
    expect(within(card).getByTestId("cluster-count")).toHaveTextContent("3 questions");
    expect(within(card).getByText("Not in the knowledge base · 3")).toBeInTheDocument();
    expect(within(card).getByText("Handed to a person · 1")).toBeInTheDocument();
    expect(within(card).queryByText(/Reply rejected/)).toBeNull();
    const links = within(card).getAllByRole("link", { name: "Conversation" });
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["/conversations/41", "/conversations/40"]);
  });

  it("dismisses a cluster", async () => {
    renderPage(<StatisticsPage />);
    const card = await screen.findByTestId("unanswered-cluster");
    await userEvent.click(within(card).getByRole("button", { name: "Dismiss" }));
    expect(await screen.findByTestId("unanswered-empty")).toHaveTextContent("No unanswered questions");
    expect(posts).toEqual([{ path: "/api/statistics/unanswered/5/dismiss", body: null }]);
    await userEvent.click(screen.getByRole("tab", { name: "Dismissed" }));
    expect(await screen.findByTestId("unanswered-cluster")).toHaveTextContent("Dismissed");
  });

  it("creates an article from a cluster, prefilled, and marks the cluster resolved", async () => {
    renderPage(<StatisticsPage />);
    const card = await screen.findByTestId("unanswered-cluster");
    await userEvent.click(within(card).getByRole("button", { name: "Create article" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByLabelText("Title")).toHaveValue("How long does delivery to Berlin take?");
    expect(within(dialog).getByLabelText("Text")).toHaveValue("Customers asked:\n- When will my order arrive in Berlin?\n- Сколько идет доставка в Берлин?\n");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    await vi.waitFor(() => expect(posts.map((p) => p.path)).toEqual(["/api/knowledge/articles", "/api/statistics/unanswered/5/resolve"]));
    expect(posts[0].body).toMatchObject({ title: "How long does delivery to Berlin take?", status: "published" });
    expect(posts[1].body).toEqual({ article: 77 });
    await vi.waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    await userEvent.click(screen.getByRole("tab", { name: "Resolved" }));
    expect(await screen.findByTestId("cluster-resolved")).toHaveTextContent("Resolved by “Delivery to Berlin”");
  });

  it("downloads the CSV with the bearer token", async () => {
    const created = vi.fn(() => "blob:statistics");
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => undefined);
    renderPage(<StatisticsPage />);
    await userEvent.click(await screen.findByTestId("download-csv"));
    await vi.waitFor(() => expect(click).toHaveBeenCalled());
    expect(authorization["/api/statistics/export.csv"]).toBe("Bearer token-1");
    const blob = (created.mock.calls[0] as unknown as [Blob])[0];
    expect(await blob.text()).toContain("2026-12-04,12");
    click.mockRestore();
  });
});
