import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Badge } from "../../components/ui/Badge";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useWorkspace } from "../workspaces/workspace";
import { AdminsOnlyNotice } from "./AdminsOnlyNotice";
import { useKommoStatus } from "./api";
import { ConnectionCard } from "./ConnectionCard";
import { ConnectPanel } from "./ConnectPanel";
import { canManageKommo, STATUS_TONE } from "./kommo";
import { RepliesCard } from "./RepliesCard";
import { SyncCard } from "./SyncCard";
import { SyncedDataCard } from "./SyncedDataCard";
import { useKommoOAuth } from "./useKommoOAuth";
import { WebhookHealthCard } from "./WebhookHealthCard";

/**
 * Kommo: connect it (OAuth popup, or a private integration's long-lived token), then the connection,
 * the sync, the webhooks' health, how replies leave, and what was synced. Members see it all and
 * change nothing (the API refuses them), so they get the explanation instead of the buttons.
 */
export function KommoSection() {
  const { t } = useTranslation();
  const { current } = useWorkspace();
  const admin = canManageKommo(current?.role);
  const status = useKommoStatus();
  const [tokenForm, setTokenForm] = useState(false);
  const [oauthMissing, setOauthMissing] = useState(false);
  const oauth = useKommoOAuth({
    onNotConfigured: () => {
      setOauthMissing(true);
      setTokenForm(true);
    },
  });
  if (status.isPending) return <PageSkeleton rows={3} />;
  if (status.isError) return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  const data = status.data;
  const noOAuth = oauthMissing || data.setup?.oauth_available === false;
  const linked = data.status !== "disconnected";
  const tokenProps = { tokenForm, onTokenForm: setTokenForm, noOAuth, oauth };
  return (
    <section aria-labelledby="kommo-title" className="space-y-6">
      <div>
        <div className="flex flex-wrap items-center gap-3">
          <h2 id="kommo-title" className="text-lg font-semibold">
            Kommo
          </h2>
          <Badge tone={STATUS_TONE[data.status]}>{t(`integrations.kommo.status.${data.status}`)}</Badge>
        </div>
        <p className="mt-1 max-w-3xl text-sm text-slate-500 dark:text-slate-400">{t("integrations.kommo.intro")}</p>
      </div>
      {!admin && <AdminsOnlyNotice linked={linked} />}
      {!linked ? (
        admin && <ConnectPanel {...tokenProps} />
      ) : (
        <>
          <div className="grid gap-6 lg:grid-cols-2">
            <ConnectionCard status={data} admin={admin} {...tokenProps} />
            <SyncCard status={data} admin={admin} />
            <WebhookHealthCard status={data} admin={admin} />
            <RepliesCard status={data} admin={admin} />
          </div>
          <SyncedDataCard />
        </>
      )}
    </section>
  );
}
