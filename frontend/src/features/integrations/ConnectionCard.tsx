import { RefreshCw, Unplug } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { KommoStatus } from "../../api/types";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/Card";
import { useConfirm } from "../../components/ui/confirm";
import { useToast } from "../../components/ui/toast";
import { useKommoDisconnect } from "./api";
import { Detail } from "./Detail";
import { formatWhen, reconnectReason, STATUS_TONE } from "./kommo";
import { LongLivedForm } from "./LongLivedForm";
import type { ConnectChoice } from "./useKommoOAuth";

/** The connected account: who connected it, when and how; "Reconnect" when its access broke; "Disconnect". */
export function ConnectionCard({ status, admin, oauth, noOAuth, tokenForm, onTokenForm }: { status: KommoStatus; admin: boolean } & ConnectChoice) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const confirm = useConfirm();
  const disconnect = useKommoDisconnect({ onSuccess: () => toast.success(t("integrations.kommo.disconnected")), onError: toast.error });
  const account = status.account;
  const broken = status.status === "error" || status.status === "revoked";
  const byToken = status.auth_kind === "long_lived" || noOAuth;
  const reason = status.status === "revoked" ? t("integrations.kommo.revokedReason") : reconnectReason(status);
  async function onDisconnect() {
    const ok = await confirm({
      title: t("integrations.kommo.disconnectTitle", { account: account?.domain || "Kommo" }),
      message: t("integrations.kommo.disconnectText"),
      confirmLabel: t("integrations.kommo.disconnect"),
      danger: true,
    });
    if (ok) disconnect.mutate();
  }
  return (
    <Card className="min-w-0 space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">{t("integrations.kommo.connection")}</h3>
        <Badge tone={STATUS_TONE[status.status]}>{t(`integrations.kommo.status.${status.status}`)}</Badge>
      </div>
      <dl className="grid gap-3 sm:grid-cols-2">
        <Detail label={t("integrations.kommo.account")}>
          <span className="font-medium">{account?.name || account?.subdomain || "—"}</span>
          {account?.domain && <span className="block text-slate-500 dark:text-slate-400">{account.domain}</span>}
        </Detail>
        <Detail label={t("integrations.kommo.authKind")}>{status.auth_kind ? t(`integrations.kommo.auth.${status.auth_kind}`) : "—"}</Detail>
        <Detail label={t("integrations.kommo.connectedAt")}>
          {formatWhen(status.connected_at, i18n.language)}
          {status.connected_by && <span className="block text-slate-500 dark:text-slate-400">{t("integrations.kommo.by", { who: status.connected_by })}</span>}
        </Detail>
        {status.auth_kind === "oauth" && <Detail label={t("integrations.kommo.tokenExpires")}>{formatWhen(status.token_expires_at, i18n.language)}</Detail>}
      </dl>
      {broken && (
        <div role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950/40 dark:text-amber-200 dark:ring-amber-900">
          <p className="font-medium">{t(`integrations.kommo.needsReconnect.${status.status}`)}</p>
          {reason && <p className="mt-1">{reason}</p>}
          {admin && !tokenForm && (
            <Button className="mt-3" size="sm" loading={!byToken && oauth.busy} onClick={() => (byToken ? onTokenForm(true) : oauth.start())}>
              <RefreshCw className="size-4" aria-hidden />
              {t("integrations.kommo.reconnect")}
            </Button>
          )}
        </div>
      )}
      {admin && broken && tokenForm && <LongLivedForm onCancel={() => onTokenForm(false)} onConnected={() => onTokenForm(false)} />}
      {admin && (
        <div className="flex justify-end border-t border-slate-100 pt-4 dark:border-slate-800">
          <Button variant="secondary" loading={disconnect.isPending} onClick={() => void onDisconnect()}>
            <Unplug className="size-4 text-red-600 dark:text-red-400" aria-hidden />
            {t("integrations.kommo.disconnect")}
          </Button>
        </div>
      )}
    </Card>
  );
}
