import { useTranslation } from "react-i18next";
import { Badge, type Tone } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/Card";
import { useConfirm } from "../../components/ui/confirm";
import { useToast } from "../../components/ui/toast";
import { goTo, hasLiveSubscription, useCancel, usePortal, useResume, type Subscription } from "./api";

const tones: Record<string, Tone> = { active: "green", trialing: "green", past_due: "red", unpaid: "red", canceled: "gray" };

/** The past-due / paused banner: AI replies pause when the grace period ends, and are paused now. */
export function PaymentBanner({ subscription }: { subscription: Subscription }) {
  const { t, i18n } = useTranslation();
  if (!subscription.payment_failed_at) return null;
  const when = subscription.grace_until ? new Date(subscription.grace_until).toLocaleString(i18n.language, { dateStyle: "long", timeStyle: "short" }) : "";
  return (
    <div
      role="alert"
      data-testid="payment-banner"
      data-paused={subscription.replies_paused}
      className="rounded-lg bg-red-50 p-4 text-sm text-red-800 ring-1 ring-red-200 dark:bg-red-950 dark:text-red-200 dark:ring-red-900"
    >
      <p className="font-semibold">{subscription.replies_paused ? t("billing.sub.pausedTitle") : t("billing.sub.pastDueTitle")}</p>
      <p className="mt-1">{subscription.replies_paused ? t("billing.sub.pausedBody") : t("billing.sub.pastDueBody", { when })}</p>
    </div>
  );
}

/** The subscription: its status, when the period ends (or the subscription does, with Resume), Cancel
 * and the customer portal. Writes are for admins and owners. */
export function SubscriptionCard({ subscription, canWrite }: { subscription: Subscription; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const confirm = useConfirm();
  const cancel = useCancel();
  const resume = useResume();
  const portal = usePortal();
  const live = hasLiveSubscription(subscription);
  const day = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString(i18n.language, { dateStyle: "long" }) : "");
  const onCancel = async () => {
    const ok = await confirm({
      title: t("billing.sub.cancelTitle"),
      message: t("billing.sub.cancelMessage", { date: day(subscription.current_period_end) }),
      confirmLabel: t("billing.sub.cancel"),
      danger: true,
    });
    if (ok) cancel.mutate(undefined, { onSuccess: () => toast.success(t("billing.sub.cancelled")), onError: toast.error });
  };
  return (
    <Card>
      <div className="flex flex-wrap items-center justify-between gap-3" data-testid="subscription">
        <div>
          <h2 className="flex items-center gap-2 text-lg font-semibold">
            {t("billing.sub.title")}
            {subscription.status && (
              <Badge tone={tones[subscription.status] ?? "amber"}>
                <span data-testid="subscription-status">{t(`billing.sub.status.${subscription.status}`, subscription.status)}</span>
              </Badge>
            )}
          </h2>
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
            {!subscription.configured
              ? t("billing.sub.notConfigured")
              : !live
                ? t("billing.sub.none")
                : subscription.cancel_at_period_end
                  ? t("billing.sub.endsOn", { date: day(subscription.cancel_at ?? subscription.current_period_end) })
                  : t("billing.sub.renewsOn", { date: day(subscription.current_period_end) })}
          </p>
        </div>
        {subscription.configured && canWrite && (
          <div className="flex flex-wrap gap-2">
            {live && subscription.cancel_at_period_end && (
              <Button size="sm" loading={resume.isPending} onClick={() => resume.mutate(undefined, { onSuccess: () => toast.success(t("billing.sub.resumed")), onError: toast.error })}>
                {t("billing.sub.resume")}
              </Button>
            )}
            {live && !subscription.cancel_at_period_end && (
              <Button size="sm" variant="secondary" loading={cancel.isPending} onClick={() => void onCancel()}>
                {t("billing.sub.cancel")}
              </Button>
            )}
            <Button size="sm" variant="secondary" loading={portal.isPending} onClick={() => portal.mutate(undefined, { onSuccess: ({ url }) => goTo(url), onError: toast.error })}>
              {t("billing.sub.portal")}
            </Button>
          </div>
        )}
      </div>
    </Card>
  );
}
