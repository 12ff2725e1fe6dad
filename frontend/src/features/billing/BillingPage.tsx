import { useTranslation } from "react-i18next";
import { Card } from "../../components/ui/Card";
import { PageHeader } from "../../components/ui/PageHeader";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { usePlans, usePlanUsage } from "./api";
import { PlanTable } from "./PlanTable";
import { UsageBars } from "./UsageBars";

/** /billing — the workspace's plan and how much of each limit this period has used, and the plans
 * to compare. Checkout (choosing a plan) arrives with the Stripe integration. */
export function BillingPage() {
  const { t, i18n } = useTranslation();
  const usage = usePlanUsage();
  const plans = usePlans();
  if (usage.isPending || plans.isPending) return <PageSkeleton />;
  if (usage.isError) return <ErrorState error={usage.error} onRetry={() => void usage.refetch()} />;
  if (plans.isError) return <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />;
  const day = (iso: string) => new Date(`${iso}T00:00:00`).toLocaleDateString(i18n.language, { day: "numeric", month: "long" });
  return (
    <>
      <PageHeader title={t("billing.title")} description={t("billing.description")} />
      <div className="space-y-6">
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
        <Card>
          <h2 className="text-lg font-semibold">{t("billing.compare")}</h2>
          <p id="checkout-note" className="mt-1 mb-4 text-sm text-slate-500 dark:text-slate-400">
            {t("billing.checkoutNote")}
          </p>
          <PlanTable plans={plans.data.plans} current={plans.data.current} />
        </Card>
      </div>
    </>
  );
}
