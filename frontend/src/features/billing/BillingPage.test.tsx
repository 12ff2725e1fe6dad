import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import i18n from "../../i18n";
import { json } from "../../test/http";
import { renderPage, testWorkspace } from "../../test/render";
import { BillingPage } from "./BillingPage";
import { PaymentAlert } from "./PaymentAlert";

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

const noSubscription = {
  configured: true,
  plan: "starter",
  subscription_id: null,
  status: null,
  current_period_end: null,
  cancel_at_period_end: false,
  cancel_at: null,
  payment_failed_at: null,
  grace_until: null,
  replies_paused: false,
};
const active = { ...noSubscription, subscription_id: "sub_1", status: "active", current_period_end: "2027-01-05T10:00:00Z" };
const invoice = {
  id: "in_1",
  number: "AB-0001",
  status: "paid",
  total: "29.00",
  amount_due: "29.00",
  currency: "USD",
  created: "2026-12-05T10:00:00Z",
  billing_reason: "subscription_create",
  invoice_pdf: "http://127.0.0.1:8767/invoices/in_1.pdf",
  hosted_invoice_url: "http://127.0.0.1:8767/invoices/in_1",
};

let subscription: Record<string, unknown> = noSubscription;
const posts: { path: string; body: unknown }[] = [];

describe("Billing page", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    subscription = noSubscription;
    posts.length = 0;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const path = new URL(String(input), "http://testserver").pathname;
        if (init?.method === "POST") {
          const body = JSON.parse(String(init.body ?? "{}"));
          posts.push({ path, body });
          if (path === "/api/billing/subscribe") return json({ url: "http://127.0.0.1:8767/checkout/cs_test_1" });
          if (path === "/api/billing/change-plan")
            return json({ plan: body.plan, applied: !body.preview, amount_due: body.preview ? "70.00" : null, currency: "USD", proration_date: body.proration_date ?? 1765000000 });
          if (path === "/api/billing/cancel") return json((subscription = { ...subscription, cancel_at_period_end: true, cancel_at: "2027-01-05T10:00:00Z" }));
          if (path === "/api/billing/resume") return json((subscription = { ...subscription, cancel_at_period_end: false, cancel_at: null }));
          if (path === "/api/billing/portal") return json({ url: "http://127.0.0.1:8767/portal/bps_1" });
        }
        if (path === "/api/billing/usage") return json(usage);
        if (path === "/api/billing/plans") return json({ current: "starter", plans: [plan("free", "Free", "0.00", 100), starter, plan("pro", "Pro", "99.00", null)] });
        if (path === "/api/billing/subscription") return json(subscription);
        if (path === "/api/billing/invoices") return json({ invoices: subscription === noSubscription ? [] : [invoice] });
        return json({}, 404);
      }),
    );
    vi.stubGlobal("location", { ...window.location, assign: vi.fn() });
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
    expect(within(table).getByRole("button", { name: "Your plan" })).toBeDisabled();
    expect(await screen.findByText("No invoices yet.")).toBeInTheDocument();
  });

  it("subscribes through Stripe Checkout: the browser goes to the checkout URL", async () => {
    renderPage(<BillingPage />);
    fireEvent.click(await screen.findByRole("button", { name: "Subscribe" }));
    await waitFor(() => expect(window.location.assign).toHaveBeenCalledWith("http://127.0.0.1:8767/checkout/cs_test_1"));
    expect(posts).toEqual([{ path: "/api/billing/subscribe", body: { plan: "pro" } }]);
  });

  it("changes the plan after showing the proration, cancels and resumes, opens the portal, lists invoices", async () => {
    subscription = active;
    renderPage(<BillingPage />);
    expect(await screen.findByTestId("subscription-status")).toHaveTextContent("Active");
    expect(screen.getByText(/Renews on January 5, 2027/)).toBeInTheDocument();
    const pdf = within(await screen.findByTestId("invoices")).getByRole("link", { name: "PDF" });
    expect(pdf).toHaveAttribute("href", invoice.invoice_pdf);

    fireEvent.click(screen.getByRole("button", { name: "Change plan" }));
    expect(await screen.findByTestId("proration")).toHaveTextContent("You will be charged $70.00 now");
    fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Change plan" }));
    await waitFor(() => expect(posts.at(-1)).toEqual({ path: "/api/billing/change-plan", body: { plan: "pro", proration_date: 1765000000 } }));

    fireEvent.click(screen.getByRole("button", { name: "Cancel subscription" }));
    fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Cancel subscription" }));
    expect(await screen.findByText(/Cancelled: ends on January 5, 2027/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Resume" }));
    expect(await screen.findByText(/Renews on/)).toBeInTheDocument();

    fireEvent.click(screen.getByRole("button", { name: "Manage payment method" }));
    await waitFor(() => expect(window.location.assign).toHaveBeenCalledWith("http://127.0.0.1:8767/portal/bps_1"));
  });

  it("shows the past-due banner, then the paused one", async () => {
    subscription = { ...active, status: "past_due", payment_failed_at: "2026-12-05T10:00:00Z", grace_until: "2026-12-12T10:00:00Z" };
    renderPage(<BillingPage />);
    const banner = await screen.findByTestId("payment-banner");
    expect(banner).toHaveTextContent("The subscription's payment failed");
    expect(banner).toHaveAttribute("data-paused", "false");
  });

  it("shows AI replies paused when the grace period ended", async () => {
    subscription = { ...active, status: "past_due", payment_failed_at: "2026-12-05T10:00:00Z", grace_until: "2026-12-12T10:00:00Z", replies_paused: true };
    renderPage(<BillingPage />);
    const banner = await screen.findByTestId("payment-banner");
    expect(banner).toHaveTextContent("AI replies are paused");
    expect(banner).toHaveAttribute("data-paused", "true");
  });

  it("puts a line on every page while the payment failed, and nothing otherwise", async () => {
    subscription = { ...active, status: "past_due", payment_failed_at: "2026-12-05T10:00:00Z", grace_until: "2026-12-12T10:00:00Z", replies_paused: true };
    renderPage(<PaymentAlert />);
    const alert = await screen.findByTestId("payment-alert");
    expect(alert).toHaveTextContent("AI replies are paused");
    expect(within(alert).getByRole("link", { name: "Update the payment method" })).toHaveAttribute("href", "/billing");
  });

  it("shows no payment line in good standing", async () => {
    subscription = active;
    renderPage(<><PaymentAlert /><BillingPage /></>);
    await screen.findByTestId("subscription-status");
    expect(screen.queryByTestId("payment-alert")).toBeNull();
  });

  it("says so when payments are not configured", async () => {
    subscription = { ...noSubscription, configured: false };
    renderPage(<BillingPage />);
    expect(await screen.findByText(/Payments are not configured on this platform/)).toBeInTheDocument();
    const table = screen.getByTestId("plan-table");
    expect(within(table).getAllByRole("button").every((button) => (button as HTMLButtonElement).disabled)).toBe(true);
  });

  it("keeps the buttons disabled for a member", async () => {
    renderPage(<BillingPage />, { workspace: testWorkspace("member") });
    expect(await screen.findByText(/Only the workspace's owners and admins/)).toBeInTheDocument();
    expect(within(screen.getByTestId("plan-table")).getAllByRole("button").every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
    expect(screen.queryByRole("button", { name: "Cancel subscription" })).toBeNull();
  });

  it("speaks Russian", async () => {
    await i18n.changeLanguage("ru");
    renderPage(<BillingPage />);
    expect(await screen.findByTestId("current-plan")).toHaveTextContent("Тариф «Starter»");
    expect(screen.getByText("Сравнение тарифов")).toBeInTheDocument();
  });
});
