import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSubscription } from "./api";

/** Every page's line while the subscription's payment failed (AI replies pause when the grace period
 * ends, or are paused): the details and the fix are on the Billing page. Nothing otherwise. */
export function PaymentAlert() {
  const { t } = useTranslation();
  const subscription = useSubscription();
  if (!subscription.data?.payment_failed_at) return null;
  return (
    <div role="alert" data-testid="payment-alert" className="bg-red-600 px-4 py-2 text-center text-sm text-white">
      {subscription.data.replies_paused ? t("billing.sub.pausedTitle") : t("billing.sub.pastDueTitle")} ·{" "}
      <Link to="/billing" className="font-semibold underline">
        {t("billing.sub.fix")}
      </Link>
    </div>
  );
}
