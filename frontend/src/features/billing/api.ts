import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import type { components } from "../../api/schema";

export type Plan = components["schemas"]["PlanOutput"];
export type Plans = components["schemas"]["PlansOutput"];
export type PlanUsage = components["schemas"]["PlanUsageOutput"];
export type LimitUsage = components["schemas"]["LimitUsageOutput"];
export type Metric = LimitUsage["metric"];

/** The limits in the order the page shows them (the plan's fields of the same names). */
export const METRICS: Metric[] = ["ai_replies_per_month", "agents", "seats", "kb_storage_mb", "channels"];

/** The plans with their limits, and which one the workspace is on. */
export function usePlans() {
  const key = useWsKey();
  return useQuery({ queryKey: key("billing", "plans"), queryFn: ({ signal }) => api.get<Plans>("/api/billing/plans", { signal }) });
}

/** The workspace's plan and its use of each limit this period. */
export function usePlanUsage() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("billing", "usage"),
    queryFn: ({ signal }) => api.get<PlanUsage>("/api/billing/usage", { signal }),
    refetchInterval: 60_000,
  });
}

/** How full a limit is: warning from 80 %, full at 100 %. */
export function usageLevel(percent: number | null | undefined): "ok" | "warning" | "full" {
  if (percent == null) return "ok";
  if (percent >= 100) return "full";
  return percent >= 80 ? "warning" : "ok";
}

export type Subscription = components["schemas"]["SubscriptionOutput"];
export type Invoice = components["schemas"]["InvoiceOutput"];
export type ChangePlan = components["schemas"]["ChangePlanOutput"];

/** Stripe statuses in which the workspace has a subscription (a plan change, not a new checkout). */
export const LIVE_STATUSES = ["active", "trialing", "past_due", "unpaid", "incomplete"];

export function hasLiveSubscription(subscription: Subscription | undefined): boolean {
  return !!subscription?.status && LIVE_STATUSES.includes(subscription.status);
}

/** The subscription and payment state; polled while a checkout's webhook is on its way (`waiting`). */
export function useSubscription(waiting = false) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("billing", "subscription"),
    queryFn: ({ signal }) => api.get<Subscription>("/api/billing/subscription", { signal }),
    refetchInterval: (query) => (waiting && query.state.data?.status !== "active" ? 1500 : 300_000),
  });
}

export function useInvoices() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("billing", "invoices"),
    queryFn: ({ signal }) => api.get<{ invoices: Invoice[] }>("/api/billing/invoices", { signal }),
  });
}

/** A billing write; afterwards every billing read of the workspace is fetched again. */
function useBillingMutation<TVariables, TData>(fn: (variables: TVariables) => Promise<TData>) {
  const key = useWsKey();
  const queryClient = useQueryClient();
  // Not the open dialog's preview: after a change it would ask for the change just made.
  const stale = key("billing", "preview");
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key("billing"), predicate: (query) => query.queryKey[3] !== stale[3] }),
  });
}

export const useSubscribe = () => useBillingMutation((plan: string) => api.post<{ url: string }>("/api/billing/subscribe", { plan }));
export const usePortal = () => useBillingMutation(() => api.post<{ url: string }>("/api/billing/portal", {}));
export const useCancel = () => useBillingMutation(() => api.post<Subscription>("/api/billing/cancel", {}));
export const useResume = () => useBillingMutation(() => api.post<Subscription>("/api/billing/resume", {}));
export const useChangePlan = () =>
  useBillingMutation((input: { plan: string; proration_date: number }) => api.post<ChangePlan>("/api/billing/change-plan", input));

/** What changing to `plan` would cost now (Stripe's proration preview; a POST that changes nothing),
 * fresh each time the dialog opens. */
export function usePlanChangePreview(plan: string | null) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("billing", "preview", plan),
    queryFn: () => api.post<ChangePlan>("/api/billing/change-plan", { plan, preview: true }),
    enabled: plan !== null,
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
}

/** Stripe's pages (Checkout, the portal) are other sites: the browser goes there. */
export function goTo(url: string) {
  window.location.assign(url);
}
