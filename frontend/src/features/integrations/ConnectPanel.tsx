import { KeyRound, Plug } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/Card";
import { LongLivedForm } from "./LongLivedForm";
import type { ConnectChoice } from "./useKommoOAuth";

/** Not connected (admins): "Connect Kommo" opens the consent popup; a private integration connects with its token. */
export function ConnectPanel({ oauth, noOAuth, tokenForm, onTokenForm }: ConnectChoice) {
  const { t } = useTranslation();
  return (
    <Card className="space-y-4">
      <div>
        <h3 className="text-sm font-semibold">{t("integrations.kommo.connectTitle")}</h3>
        {!noOAuth && <p className="mt-1 max-w-3xl text-sm text-slate-500 dark:text-slate-400">{t("integrations.kommo.connectText")}</p>}
      </div>
      {noOAuth && (
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950/40 dark:text-amber-200 dark:ring-amber-900">
          {t("integrations.kommo.oauthMissing")}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        {!noOAuth && (
          <Button loading={oauth.busy} onClick={oauth.start}>
            <Plug className="size-4" aria-hidden />
            {t("integrations.kommo.connect")}
          </Button>
        )}
        {!tokenForm && (
          <Button variant="secondary" onClick={() => onTokenForm(true)}>
            <KeyRound className="size-4" aria-hidden />
            {t("integrations.kommo.useToken")}
          </Button>
        )}
      </div>
      {oauth.waiting && (
        <p role="status" className="text-sm text-slate-500 dark:text-slate-400">
          {t("integrations.kommo.finishInPopup")}
        </p>
      )}
      {tokenForm && <LongLivedForm onCancel={noOAuth ? undefined : () => onTokenForm(false)} onConnected={() => onTokenForm(false)} />}
    </Card>
  );
}
