import { useTranslation } from "react-i18next";
import type { KommoSetup } from "../../api/types";
import { CopyField } from "./CopyField";

/** JSON the widget_request step answers; Kommo's "send message" step reads it with this template. */
export const ANSWER_TEMPLATE = "{{json.answer}}";

/** What an admin sets up in Kommo: the Salesbot's two steps, and a private integration's URLs. */
export function SalesbotSetup({ setup, privateIntegration }: { setup: KommoSetup; privateIntegration: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="space-y-4 border-t border-slate-100 pt-4 dark:border-slate-800">
      <div>
        <h4 className="text-sm font-semibold">{t("integrations.kommo.setupTitle")}</h4>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{t("integrations.kommo.setupIntro")}</p>
      </div>
      <ol className="space-y-4 text-sm">
        <li className="space-y-2">
          <p>
            <span className="mr-1 font-semibold">1.</span>
            {t("integrations.kommo.setupStep1")}
          </p>
          <CopyField label={t("integrations.kommo.widgetRequestUrl")} value={setup.widget_request_url ?? ""} />
        </li>
        <li className="space-y-2">
          <p>
            <span className="mr-1 font-semibold">2.</span>
            {t("integrations.kommo.setupStep2")}
          </p>
          <CopyField label={t("integrations.kommo.messageText")} value={ANSWER_TEMPLATE} />
        </li>
        <li>
          <span className="mr-1 font-semibold">3.</span>
          {t("integrations.kommo.setupStep3")}
        </li>
      </ol>
      {privateIntegration && (setup.redirect_uri || setup.revoke_hook_url) && (
        <div className="space-y-3">
          <p className="text-sm">{t("integrations.kommo.privateSetup")}</p>
          {setup.redirect_uri && <CopyField label={t("integrations.kommo.redirectUri")} value={setup.redirect_uri} />}
          {setup.revoke_hook_url && <CopyField label={t("integrations.kommo.revokeHookUrl")} value={setup.revoke_hook_url} />}
        </div>
      )}
    </div>
  );
}
