import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import i18n from "../../i18n";
import { json } from "../../test/http";
import { renderPage } from "../../test/render";
import { StatisticsSection } from "./StatisticsSection";
import { dashboard } from "./testStatistics";

describe("Dashboard → statistics", () => {
  const periods: string[] = [];
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    periods.length = 0;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: RequestInfo | URL) => {
        const url = new URL(String(input), "http://testserver");
        periods.push(url.searchParams.get("period") ?? "");
        return json(
          dashboard(
            { conversations: 12, ai_replies: 30, approvals_approved: 9, approvals_rejected: 1, approval_rate: 0.9, handoffs: 3, handoff_rate: 0.25, first_responses: 12, first_response_median_seconds: 8, first_response_p90_seconds: 150, cost: "1.250000", total_tokens: 5400 },
            { conversations: 10, ai_replies: 40, approval_rate: 0.9, handoffs: 0, first_response_median_seconds: 4, cost: "1.000000" },
          ),
        );
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  it("shows each figure with its change against the previous period", async () => {
    renderPage(<StatisticsSection />);
    const conversations = await screen.findByTestId("kpi-conversations");
    expect(within(conversations).getByTestId("kpi-value")).toHaveTextContent("12");
    expect(within(conversations).getByTestId("kpi-change")).toHaveTextContent("+20% vs previous");
    expect(within(conversations).getByTestId("kpi-change")).toHaveAttribute("data-direction", "up");
    const replies = screen.getByTestId("kpi-ai_replies");
    expect(within(replies).getByTestId("kpi-change")).toHaveTextContent("−25% vs previous");
    expect(within(replies).getByTestId("kpi-change")).toHaveClass("text-rose-700"); // fewer replies: bad news
    const approval = screen.getByTestId("kpi-approval_rate");
    expect(within(approval).getByTestId("kpi-value")).toHaveTextContent("90%");
    expect(within(approval).getByTestId("kpi-change")).toHaveTextContent("No change");
    expect(within(approval).getByText("9 approved, 1 rejected")).toBeInTheDocument();
    expect(within(screen.getByTestId("kpi-handoffs")).getByTestId("kpi-change")).toHaveTextContent("New this period");
    const response = screen.getByTestId("kpi-first_response_median_seconds");
    expect(within(response).getByTestId("kpi-value")).toHaveTextContent("≤ 8 s");
    expect(within(response).getByTestId("kpi-change")).toHaveClass("text-rose-700"); // slower: bad news
    expect(within(response).getByText("p90 ≈ 3 min · 12 first replies")).toBeInTheDocument();
    expect(within(screen.getByTestId("kpi-cost")).getByTestId("kpi-value")).toHaveTextContent("$1.25");
    expect(within(screen.getByTestId("kpi-field_writes")).getByTestId("kpi-change")).toHaveTextContent("No change");
  });

  it("asks for another period when switched", async () => {
    renderPage(<StatisticsSection />);
    await screen.findByTestId("kpi-conversations");
    await userEvent.click(screen.getByTestId("period-30d"));
    await vi.waitFor(() => expect(periods).toContain("30d"));
    expect(screen.getByTestId("period-30d")).toHaveAttribute("aria-pressed", "true");
    expect(periods[0]).toBe("7d");
  });
});
