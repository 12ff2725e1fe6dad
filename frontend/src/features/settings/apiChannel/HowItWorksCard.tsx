import { useTranslation } from "react-i18next";
import { Card } from "../../../components/ui/Card";
import { cn } from "../../../components/ui/cn";
import { ingestExample } from "./channel";

const FIELDS = ["external_chat_id", "external_message_id", "text", "customer_name"] as const;
const codeBlock = "mt-2 whitespace-pre-wrap wrap-anywhere rounded-lg p-3 font-mono text-xs leading-relaxed";

/** How a server delivers messages and receives the replies (shown to members too). */
export function HowItWorksCard() {
  const { t } = useTranslation();
  const muted = "text-sm text-slate-600 dark:text-slate-400";
  const light = cn(codeBlock, "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200");
  return (
    <Card>
      <h2 className="mb-1 text-sm font-semibold">{t("settings.apiChannel.howTitle")}</h2>
      <p className={cn(muted, "max-w-3xl")}>{t("settings.apiChannel.howIntro")}</p>
      <div className="mt-4 grid gap-6 md:grid-cols-2">
        <div className="min-w-0">
          <h3 className="text-sm font-medium">{t("settings.apiChannel.howRequest")}</h3>
          <pre className={cn(codeBlock, "bg-slate-900 text-slate-100 ring-1 ring-slate-800 dark:bg-slate-950")}>{ingestExample(window.location.origin)}</pre>
          <p className={cn(muted, "mt-3")}>{t("settings.apiChannel.howAnswer")}</p>
        </div>
        <div className="min-w-0">
          <dl className="space-y-2 text-sm">
            {FIELDS.map((field) => (
              <div key={field}>
                <dt>
                  <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-200">{field}</code>
                </dt>
                <dd className="mt-0.5 text-slate-600 dark:text-slate-400">{t(`settings.apiChannel.field.${field}`)}</dd>
              </div>
            ))}
          </dl>
          <h3 className="mt-4 text-sm font-medium">{t("settings.apiChannel.howReplies")}</h3>
          <p className={cn(muted, "mt-1")}>{t("settings.apiChannel.howWebhook")}</p>
          <pre className={light}>{'HMAC-SHA256(secret, <X-Timestamp> + "." + <body>)'}</pre>
          <p className={cn(muted, "mt-3")}>{t("settings.apiChannel.howPolling")}</p>
          <pre className={light}>{"GET /api/conversations/<id>/messages"}</pre>
        </div>
      </div>
    </Card>
  );
}
