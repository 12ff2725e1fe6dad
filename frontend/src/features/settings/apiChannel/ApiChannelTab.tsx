import { Lock } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Card } from "../../../components/ui/Card";
import { useWorkspace } from "../../workspaces/workspace";
import { ApiKeysCard } from "./ApiKeysCard";
import { canManageApiChannel } from "./channel";
import { HowItWorksCard } from "./HowItWorksCard";
import { IssueKeyCard } from "./IssueKeyCard";
import { WebhookCard } from "./WebhookCard";

/**
 * The generic API channel: the webhook replies go to, its signing secret, and the workspace API keys
 * servers deliver messages with. Secrets and keys are shown once, from the response that made them.
 * Members get the explanation only (the API refuses them the keys and the changes).
 */
export function ApiChannelTab() {
  const { current } = useWorkspace();
  const admin = canManageApiChannel(current?.role);
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      {admin ? (
        <>
          <div className="min-w-0 space-y-6 lg:col-span-2">
            <WebhookCard />
            <ApiKeysCard />
          </div>
          <div className="min-w-0">
            <IssueKeyCard />
          </div>
        </>
      ) : (
        <div className="min-w-0 lg:col-span-3">
          <MemberNotice />
        </div>
      )}
      <div className="min-w-0 lg:col-span-3">
        <HowItWorksCard />
      </div>
    </div>
  );
}

function MemberNotice() {
  const { t } = useTranslation();
  return (
    <Card>
      <div className="flex items-start gap-3">
        <Lock className="mt-0.5 size-5 shrink-0 text-slate-400" aria-hidden />
        <div>
          <h2 className="text-sm font-semibold">{t("settings.apiChannel.adminsOnlyTitle")}</h2>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t("settings.apiChannel.adminsOnly")}</p>
        </div>
      </div>
    </Card>
  );
}
