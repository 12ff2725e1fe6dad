import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { deliverRealtimeEvent } from "../../api/realtime";
import i18n from "../../i18n";
import { json } from "../../test/http";
import { renderPage } from "../../test/render";
import { DashboardPage } from "./DashboardPage";
import type { AttentionItem, LiveCounters } from "./liveApi";
import { dashboard } from "./testStatistics";

const counters = (extra: Partial<LiveCounters> = {}): LiveCounters => ({
  date: "2026-12-05",
  conversations_today: 3,
  ai_replies_today: 5,
  handoffs_today: 0,
  pending_approvals: 1,
  open_handoffs: 0,
  ...extra,
});

describe("Dashboard → live counters and needs attention", () => {
  let live: LiveCounters;
  let items: AttentionItem[];
  let fetch: ReturnType<typeof vi.fn>;
  const reads = (path: string) => fetch.mock.calls.filter(([input]) => new URL(String(input), "http://testserver").pathname === path).length;
  const value = (key: string) => within(screen.getByTestId(`live-${key}`)).getByTestId("live-value");

  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    live = counters();
    items = [];
    fetch = vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL(String(input), "http://testserver");
      if (url.pathname === "/api/statistics/live") return json(live);
      if (url.pathname === "/api/statistics/attention") return json({ items });
      if (url.pathname === "/api/statistics/dashboard") return json(dashboard());
      if (url.pathname === "/api/integrations/kommo") return json({ connected: true, status: "connected" });
      return json({ count: 1, next: null, previous: null, results: [] });
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  it("shows today's counters and follows a new conversation and a reply put on hold without a reload", async () => {
    const { queryClient } = renderPage(<DashboardPage />);
    await waitFor(() => expect(value("conversations_today")).toHaveTextContent("3"));
    expect(value("ai_replies_today")).toHaveTextContent("5");
    expect(value("pending_approvals")).toHaveTextContent("1");
    expect(within(screen.getByTestId("live-pending_approvals")).getByRole("link")).toHaveAttribute("href", "/conversations?needs_approval=true");
    expect(within(screen.getByTestId("live-open_handoffs")).getByRole("link")).toHaveAttribute("href", "/conversations?status=human");

    // A customer wrote: the server counted a conversation and said so.
    live = counters({ conversations_today: 4 });
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "statistics.updated", payload: { counters: ["conversations_started"] } }));
    await waitFor(() => expect(value("conversations_today")).toHaveTextContent("4"));

    // A reply was put on hold: no daily counter moved, the approval event refreshes the cards.
    const before = reads("/api/statistics/live");
    live = counters({ conversations_today: 4, pending_approvals: 2 });
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "approval.requested", payload: { conversation: 1, message: 2 } }));
    await waitFor(() => expect(value("pending_approvals")).toHaveTextContent("2"));
    expect(reads("/api/statistics/live")).toBe(before + 1);

    // An event about something else does not refetch them.
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "agent.updated", payload: { id: 1 } }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reads("/api/statistics/live")).toBe(before + 1);
  });

  it("lists what needs attention, worst first, each linking to the page that fixes it", async () => {
    items = [
      { kind: "failed_messages", count: 2, severity: "critical", link: "/conversations?has_failed=true", extra: {} },
      { kind: "pending_approvals", count: 1, severity: "warning", link: "/conversations?needs_approval=true", extra: {} },
      { kind: "quota", count: 1, severity: "warning", link: "/billing", extra: { metric: "ai_replies_per_month", used: 85, limit: 100, percent: 85 } },
    ];
    const { router } = renderPage(<DashboardPage />);
    const list = await screen.findByTestId("attention-list");
    const rows = within(list).getAllByRole("listitem");
    expect(rows.map((row) => row.textContent)).toEqual([
      "2 messages failed in the last 7 daysOpen",
      "1 AI reply is waiting for approvalOpen",
      "AI replies per month: 85% of the plan usedOpen",
    ]);
    expect(rows[0]).toHaveAttribute("data-severity", "critical");
    await userEvent.click(within(rows[1]).getByRole("link"));
    await waitFor(() => expect(router.state.location.search).toBe("?needs_approval=true"));
  });

  it("says all is well when nothing needs attention, and shows a problem that appears live", async () => {
    const { queryClient } = renderPage(<DashboardPage />);
    expect(await screen.findByTestId("attention-empty")).toHaveTextContent("All is well");
    items = [{ kind: "kb_index_failed", count: 1, severity: "warning", link: "/knowledge", extra: {} }];
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "kb_file.updated", payload: { id: 3 } }));
    expect(await screen.findByTestId("attention-kb_index_failed")).toHaveTextContent("1 knowledge item could not be indexed");
  });

  it("speaks Russian", async () => {
    await i18n.changeLanguage("ru");
    items = [{ kind: "failed_messages", count: 5, severity: "critical", link: "/conversations", extra: {} }];
    renderPage(<DashboardPage />);
    expect(await screen.findByTestId("attention-failed_messages")).toHaveTextContent("5 сообщений не отправлено за 7 дней");
    expect(screen.getByText("Ждут одобрения")).toBeInTheDocument();
  });
});
