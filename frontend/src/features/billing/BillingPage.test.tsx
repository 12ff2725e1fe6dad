import { screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import i18n from "../../i18n";
import { json } from "../../test/http";
import { renderPage } from "../../test/render";
import { BillingPage } from "./BillingPage";

const plan = (code: string, name: string, price: string, replies: number | null) => ({
  code,
  name,
  monthly_price: price,
  currency: "USD",
  ai_replies_per_month: replies,
  agents: 3,
  kb_storage_mb: 500,
  seats: 5,
  channels: 2,
  overage_policy: code === "pro" ? "allow" : "block",
});
const starter = plan("starter", "Starter", "29.00", 2000);
const usage = {
  plan: starter,
  period_start: "2026-12-01",
  period_end: "2026-12-31",
  limits: [
    { metric: "ai_replies_per_month", name: "AI replies per month", used: 2000, limit: 2000, percent: 100 },
    { metric: "agents", name: "Agents", used: 1, limit: 3, percent: 33.3 },
    { metric: "seats", name: "Seats", used: 4, limit: 5, percent: 80 },
    { metric: "kb_storage_mb", name: "Knowledge base storage (MB)", used: 0, limit: 500, percent: 0 },
    { metric: "channels", name: "Channels / integrations", used: null, limit: 2, percent: null },
  ],
};

describe("Billing page", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: RequestInfo | URL) => {
        const path = new URL(String(input), "http://testserver").pathname;
        if (path === "/api/billing/usage") return json(usage);
        if (path === "/api/billing/plans") return json({ current: "starter", plans: [plan("free", "Free", "0.00", 100), starter, plan("pro", "Pro", "99.00", null)] });
        return json({}, 404);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  it("shows the plan, a bar per limit coloured by how full it is, and the plans compared", async () => {
    renderPage(<BillingPage />);
    expect(await screen.findByTestId("current-plan")).toHaveTextContent("Starter plan");
    const replies = screen.getByTestId("usage-ai_replies_per_month");
    expect(replies).toHaveAttribute("data-level", "full");
    expect(replies).toHaveTextContent("2,000 of 2,000 · 100 %");
    expect(within(replies).getByText(/AI replies are stopped/)).toBeInTheDocument();
    expect(screen.getByTestId("usage-seats")).toHaveAttribute("data-level", "warning");
    expect(screen.getByTestId("usage-agents")).toHaveAttribute("data-level", "ok");
    expect(within(screen.getByTestId("usage-agents")).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "33");
    expect(screen.getByTestId("usage-channels")).toHaveTextContent("Not metered yet");

    const table = screen.getByTestId("plan-table");
    const headers = within(table).getAllByRole("columnheader");
    expect(headers.find((th) => th.getAttribute("data-current") === "true")).toHaveTextContent("Starter");
    expect(within(table).getByText("Unlimited")).toBeInTheDocument(); // Pro's AI replies
    expect(within(table).getByText("$99.00 / month")).toBeInTheDocument();
    const buttons = within(table).getAllByRole("button");
    expect(buttons.every((button) => (button as HTMLButtonElement).disabled)).toBe(true);
    expect(screen.getByText(/comes with the Stripe payment integration/)).toBeInTheDocument();
  });

  it("speaks Russian", async () => {
    await i18n.changeLanguage("ru");
    renderPage(<BillingPage />);
    expect(await screen.findByTestId("current-plan")).toHaveTextContent("Тариф «Starter»");
    expect(screen.getByText("Сравнение тарифов")).toBeInTheDocument();
  });
});
