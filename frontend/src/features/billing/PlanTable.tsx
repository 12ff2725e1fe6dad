import { useTranslation } from "react-i18next";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { cn } from "../../components/ui/cn";
import { METRICS, type Plan } from "./api";

export interface PlanActions {
  /** Checkout is possible (Stripe configured, an admin or owner): otherwise the buttons are disabled. */
  enabled: boolean;
  /** The workspace has a subscription: another paid plan is a plan change, not a checkout. */
  subscribed: boolean;
  pending: string | null;
  onSubscribe: (plan: Plan) => void;
  onChange: (plan: Plan) => void;
}

/** The plans side by side, the workspace's own highlighted, each with Subscribe (Stripe Checkout) or
 * Change plan (with a proration preview). Free plans are not bought: cancelling returns to them. */
export function PlanTable({ plans, current, actions }: { plans: Plan[]; current: string; actions: PlanActions }) {
  const { t, i18n } = useTranslation();
  const limit = (value: number | null | undefined) => (value == null ? t("billing.unlimited") : value.toLocaleString(i18n.language));
  const price = (plan: Plan) =>
    Number(plan.monthly_price) === 0
      ? t("billing.free")
      : t("billing.perMonth", { price: Number(plan.monthly_price).toLocaleString(i18n.language, { style: "currency", currency: plan.currency }) });
  return (
    <div className="-mx-4 overflow-x-auto sm:mx-0">
      <table className="w-full min-w-[36rem] text-sm" data-testid="plan-table">
        <thead>
          <tr>
            <th className="p-3 text-left font-medium text-slate-500">{t("billing.limit")}</th>
            {plans.map((plan) => (
              <th
                key={plan.code}
                scope="col"
                data-current={plan.code === current}
                className={cn("p-3 text-left align-top", plan.code === current && "rounded-t-lg bg-indigo-50 dark:bg-indigo-950/60")}
              >
                <div className="flex flex-wrap items-center gap-2 font-semibold">
                  {plan.name}
                  {plan.code === current && <Badge tone="indigo">{t("billing.current")}</Badge>}
                </div>
                <div className="mt-0.5 font-normal text-slate-500 dark:text-slate-400">{price(plan)}</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {METRICS.map((metric) => (
            <tr key={metric}>
              <th scope="row" className="p-3 text-left font-normal text-slate-600 dark:text-slate-300">
                {t(`billing.metrics.${metric}`)}
              </th>
              {plans.map((plan) => (
                <td key={plan.code} className={cn("p-3 tabular-nums", plan.code === current && "bg-indigo-50 dark:bg-indigo-950/60")}>
                  {limit(plan[metric])}
                </td>
              ))}
            </tr>
          ))}
          <tr>
            <th scope="row" className="p-3 text-left font-normal text-slate-600 dark:text-slate-300">
              {t("billing.overage")}
            </th>
            {plans.map((plan) => (
              <td key={plan.code} className={cn("p-3", plan.code === current && "bg-indigo-50 dark:bg-indigo-950/60")}>
                {t(`billing.overagePolicy.${plan.overage_policy}`)}
              </td>
            ))}
          </tr>
          <tr>
            <td />
            {plans.map((plan) => (
              <td key={plan.code} className={cn("p-3", plan.code === current && "rounded-b-lg bg-indigo-50 dark:bg-indigo-950/60")}>
                <PlanButton plan={plan} current={plan.code === current} actions={actions} />
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function PlanButton({ plan, current, actions }: { plan: Plan; current: boolean; actions: PlanActions }) {
  const { t } = useTranslation();
  const free = Number(plan.monthly_price) === 0;
  if (current || free || !actions.enabled)
    return (
      <Button size="sm" variant={current ? "secondary" : "primary"} disabled aria-describedby="checkout-note">
        {current ? t("billing.yourPlan") : t("billing.choose")}
      </Button>
    );
  return actions.subscribed ? (
    <Button size="sm" variant="secondary" onClick={() => actions.onChange(plan)}>
      {t("billing.changePlan")}
    </Button>
  ) : (
    <Button size="sm" loading={actions.pending === plan.code} onClick={() => actions.onSubscribe(plan)}>
      {t("billing.subscribe")}
    </Button>
  );
}
