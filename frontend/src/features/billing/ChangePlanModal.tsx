import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { Modal } from "../../components/ui/Modal";
import { Skeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { errorMessage } from "../../api/problem";
import { useChangePlan, usePlanChangePreview, type Plan } from "./api";

/** Change the subscription's plan: Stripe's proration preview first (what is invoiced now), then
 * the change at exactly that proration time. */
export function ChangePlanModal({ plan, onClose }: { plan: Plan | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const change = useChangePlan();
  const previewQuery = usePlanChangePreview(plan?.code ?? null);
  const preview = previewQuery.isFetching ? undefined : previewQuery.data;
  const error = previewQuery.isError ? errorMessage(previewQuery.error) : null;
  const amount = preview?.amount_due != null ? Number(preview.amount_due).toLocaleString(i18n.language, { style: "currency", currency: preview.currency }) : "";
  const apply = () => {
    if (!plan || !preview) return;
    change.mutate(
      { plan: plan.code, proration_date: preview.proration_date },
      {
        onSuccess: () => {
          toast.success(t("billing.change.done", { name: plan.name }));
          onClose();
        },
        onError: toast.error,
      },
    );
  };
  return (
    <Modal
      open={plan !== null}
      onClose={onClose}
      title={t("billing.change.title", { name: plan?.name ?? "" })}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button onClick={apply} disabled={!preview} loading={change.isPending}>
            {t("billing.change.confirm")}
          </Button>
        </>
      }
    >
      {error ? (
        <p className="text-sm text-red-600 dark:text-red-400">{error}</p>
      ) : !preview ? (
        <Skeleton className="h-10" />
      ) : (
        <p className="text-sm" data-testid="proration">
          {Number(preview.amount_due) > 0 ? t("billing.change.charge", { amount }) : t("billing.change.credit", { amount })}
        </p>
      )}
    </Modal>
  );
}
