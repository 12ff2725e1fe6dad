import { screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import i18n from "../../i18n";
import { renderPage } from "../../test/render";
import { json } from "../../test/http";
import { DashboardPage } from "./DashboardPage";
import { dashboard } from "./testStatistics";

describe("Dashboard → getting started", () => {
  let counts: Record<string, number>;
  let kommoConnected: boolean;
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: RequestInfo | URL) => {
        const url = new URL(String(input), "http://testserver");
        if (url.pathname === "/api/statistics/dashboard") return json(dashboard());
        if (url.pathname === "/api/statistics/live") return json({ date: "2026-12-05", conversations_today: 0, ai_replies_today: 0, handoffs_today: 0, pending_approvals: 0, open_handoffs: 0 });
        if (url.pathname === "/api/statistics/attention") return json({ items: [] });
        if (url.pathname === "/api/integrations/kommo") return json({ connected: kommoConnected, status: kommoConnected ? "connected" : "disconnected" });
        const key = url.pathname + (url.searchParams.get("channel") ? `?${url.searchParams.get("channel")}` : "");
        return json({ count: counts[key] ?? 0, next: null, previous: null, results: [] });
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  it("ticks off what the workspace has done, with its numbers, and says what is left", async () => {
    counts = { "/api/agents": 2, "/api/knowledge/articles": 1, "/api/conversations?playground": 0, "/api/conversations": 7 };
    kommoConnected = false;
    renderPage(<DashboardPage />);
    expect(await screen.findByTestId("setup-progress")).toHaveTextContent("2 of 4 steps done");
    const agents = screen.getByTestId("step-agents");
    expect(agents).toHaveAttribute("data-done", "true");
    expect(within(agents).getByText("2 agents answer your customers.")).toBeInTheDocument();
    expect(within(screen.getByTestId("step-knowledge")).getByText("1 article to answer from.")).toBeInTheDocument();
    const playground = screen.getByTestId("step-playground");
    expect(playground).toHaveAttribute("data-done", "false");
    expect(within(playground).getByText("Step 3")).toBeInTheDocument();
    expect(within(screen.getByTestId("step-integrations")).getByRole("link")).toHaveAttribute("href", "/integrations");
  });

  it("shows the inbox's size once Kommo is connected", async () => {
    counts = { "/api/conversations": 7 };
    kommoConnected = true;
    renderPage(<DashboardPage />);
    const kommo = await screen.findByTestId("step-integrations");
    expect(await within(kommo).findByText("Connected · 7 conversations in the inbox.")).toBeInTheDocument();
    expect(screen.getByTestId("setup-progress")).toHaveTextContent("1 of 4 steps done");
  });
});
