import { Stethoscope, Wrench } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { KommoStatus, KommoWebhookHealth } from "../../api/types";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/Card";
import { useToast } from "../../components/ui/toast";
import { useKommoCheck, useKommoRepair } from "./api";
import { CopyField } from "./CopyField";
import { Detail } from "./Detail";
import { formatWhen } from "./kommo";

/**
 * Whether Kommo's webhooks reach us: registered, the last one received, the last 24 h, what Kommo says
 * of our hook ("Check": it disables hooks that keep failing), the latest errors; "Repair" registers
 * them again. Kommo's answer is kept here: the status refetched later does not carry it.
 */
export function WebhookHealthCard({ status, admin }: { status: KommoStatus; admin: boolean }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const [health, setHealth] = useState<KommoWebhookHealth | null>(null);
  const check = useKommoCheck({ onSuccess: (data) => setHealth(data.webhook ?? null), onError: toast.error });
  const repair = useKommoRepair({
    onSuccess: (data) => {
      setHealth(data.webhook ?? null);
      toast.success(t("integrations.kommo.repaired"));
    },
    onError: toast.error,
  });
  const hook = status.webhook;
  const disabled = health?.disabled;
  const errors = (status.last_errors ?? []).slice(0, 5);
  return (
    <Card className="min-w-0 space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">{t("integrations.kommo.webhooks")}</h3>
        <Badge tone={hook?.registered ? "green" : "red"}>{hook?.registered ? t("integrations.kommo.registered") : t("integrations.kommo.notRegistered")}</Badge>
      </div>
      <dl className="grid gap-3 sm:grid-cols-2">
        <Detail label={t("integrations.kommo.registeredAt")}>{formatWhen(hook?.registered_at, i18n.language)}</Detail>
        <Detail label={t("integrations.kommo.lastReceived")}>{hook?.last_received_at ? formatWhen(hook.last_received_at, i18n.language) : t("integrations.kommo.never")}</Detail>
        <Detail label={t("integrations.kommo.received24h")}>{hook?.received_24h ?? 0}</Detail>
        <Detail label={t("integrations.kommo.failed24h")}>
          <span className={hook?.failed_24h ? "font-medium text-red-600 dark:text-red-400" : undefined}>{hook?.failed_24h ?? 0}</span>
        </Detail>
        <Detail label={t("integrations.kommo.kommoSays")}>
          {disabled === true ? (
            <Badge tone="red">{t("integrations.kommo.hookDisabled")}</Badge>
          ) : disabled === false ? (
            <Badge tone="green">{t("integrations.kommo.hookEnabled")}</Badge>
          ) : (
            <span className="text-slate-500 dark:text-slate-400">{t("integrations.kommo.notChecked")}</span>
          )}
        </Detail>
      </dl>
      {status.setup?.webhook_url && <CopyField label={t("integrations.kommo.webhookUrl")} value={status.setup.webhook_url} hint={t("integrations.kommo.webhookUrlHint")} />}
      {errors.length > 0 && (
        <div>
          <h4 className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">{t("integrations.kommo.lastErrors")}</h4>
          <ul className="mt-1 divide-y divide-slate-100 text-sm dark:divide-slate-800">
            {errors.map((error, i) => (
              <li key={`${error.at}-${i}`} className="py-2">
                <div className="flex flex-wrap items-center gap-2 text-xs text-slate-500 dark:text-slate-400">
                  <Badge>{t(`integrations.kommo.where.${error.where}`, { defaultValue: error.where })}</Badge>
                  {formatWhen(error.at, i18n.language)}
                </div>
                <p className="mt-1 break-words">{error.detail}</p>
              </li>
            ))}
          </ul>
        </div>
      )}
      {status.connected && (
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" loading={check.isPending} onClick={() => check.mutate()}>
            <Stethoscope className="size-4" aria-hidden />
            {t("integrations.kommo.check")}
          </Button>
          {admin && (
            <Button variant="secondary" loading={repair.isPending} onClick={() => repair.mutate()}>
              <Wrench className="size-4" aria-hidden />
              {t("integrations.kommo.repair")}
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}
