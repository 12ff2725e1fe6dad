import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { Card } from "../../components/ui/Card";
import { PageHeader } from "../../components/ui/PageHeader";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { useWsKey } from "../../api/hooks";
import { useWorkspace } from "../workspaces/workspace";
import { goTo, hasLiveSubscription, usePlans, usePlanUsage, useSubscribe, useSubscription, type Plan } from "./api";
import { ChangePlanModal } from "./ChangePlanModal";
import { InvoicesTable } from "./InvoicesTable";
import { PlanTable } from "./PlanTable";
import { PaymentBanner, SubscriptionCard } from "./SubscriptionCard";
import { UsageBars } from "./UsageBars";

/** /billing — the workspace's plan and how much of each limit this period has used, its Stripe
 * subscription (status, cancel/resume, the portal), the plans to compare with Subscribe (Checkout) or
 * Change plan (with the proration preview), and the invoices. Back from Checkout (`?checkout=success`)
 * it polls until the webhook made the subscription active. */
export function BillingPage() {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const [params] = useSearchParams();
  const returned = params.get("checkout");
  const { current: workspace } = useWorkspace();
  const canWrite = workspace?.role === "owner" || workspace?.role === "admin";
  const subscription = useSubscription(returned === "success");
  const usage = usePlanUsage();
  const plans = usePlans();
  const subscribe = useSubscribe();
  const [changing, setChanging] = useState<Plan | null>(null);
  const status = subscription.data?.status;
  const queryClient = useQueryClient();
  const key = useWsKey();
  const seen = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    // The status changed (a webhook moved the workspace to its new plan, synced its invoice): show them.
    if (seen.current !== undefined && seen.current !== status)
      void queryClient.invalidateQueries({ queryKey: key("billing"), predicate: (query) => query.queryKey[3] !== "subscription" });
    if (status !== undefined) seen.current = status;
  }, [status, queryClient, key]);
  if (usage.isPending || plans.isPending || subscription.isPending) return <PageSkeleton />;
  if (usage.isError) return <ErrorState error={usage.error} onRetry={() => void usage.refetch()} />;
  if (plans.isError) return <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />;
  if (subscription.isError) return <ErrorState error={subscription.error} onRetry={() => void subscription.refetch()} />;
  const day = (iso: string) => new Date(`${iso}T00:00:00`).toLocaleDateString(i18n.language, { day: "numeric", month: "long" });
  const configured = subscription.data.configured;
  const note = !configured ? t("billing.notConfigured") : !canWrite ? t("billing.adminsOnly") : t("billing.checkoutNote");
  const onSubscribe = (plan: Plan) =>
    subscribe.mutate(plan.code, { onSuccess: ({ url }) => goTo(url), onError: toast.error });
  return (
    <>
      <PageHeader title={t("billing.title")} description={t("billing.description")} />
      <div className="space-y-6">
        <PaymentBanner subscription={subscription.data} />
        {returned === "success" && status !== "active" && (
          <p role="status" className="rounded-lg bg-indigo-50 p-3 text-sm text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">
            {t("billing.checkoutWaiting")}
          </p>
        )}
        <Card>
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 className="text-lg font-semibold" data-testid="current-plan">
              {t("billing.planName", { name: usage.data.plan.name })}
            </h2>
            <p className="text-sm text-slate-500 dark:text-slate-400">
              {t("billing.period", { from: day(usage.data.period_start), to: day(usage.data.period_end) })}
            </p>
          </div>
          <div className="mt-5">
            <UsageBars limits={usage.data.limits} />
          </div>
        </Card>
        <SubscriptionCard subscription={subscription.data} canWrite={canWrite} />
        <Card>
          <h2 className="text-lg font-semibold">{t("billing.compare")}</h2>
          <p id="checkout-note" className="mt-1 mb-4 text-sm text-slate-500 dark:text-slate-400">
            {note}
          </p>
          <PlanTable
            plans={plans.data.plans}
            current={plans.data.current}
            actions={{
              enabled: configured && canWrite,
              subscribed: hasLiveSubscription(subscription.data),
              pending: subscribe.isPending ? (subscribe.variables ?? null) : null,
              onSubscribe,
              onChange: setChanging,
            }}
          />
        </Card>
        <InvoicesTable />
      </div>
      <ChangePlanModal plan={changing} onClose={() => setChanging(null)} />
    </>
  );
}
