import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { cn } from "../../components/ui/cn";
import { PageHeader } from "../../components/ui/PageHeader";
import { AiCredentialsTab } from "./AiCredentialsTab";
import { ApiChannelTab } from "./apiChannel/ApiChannelTab";
import { NotificationsTab } from "./NotificationsTab";
import { PasswordTab } from "./PasswordTab";
import { ProfileTab } from "./ProfileTab";
import { TeamTab } from "./TeamTab";
import { WorkspaceTab } from "./WorkspaceTab";

const TABS = ["profile", "password", "notifications", "workspace", "team", "ai", "api"] as const;
type Tab = (typeof TABS)[number];

/** Settings: profile (avatar, language), password, notification preferences, the workspace (name, time
 * zone), team, AI credentials, API channel. The tab is in the URL (`?tab=ai`), so other pages link to one. */
export function SettingsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const asked = params.get("tab");
  const tab: Tab = TABS.find((key) => key === asked) ?? "profile";
  const setTab = (key: Tab) => setParams(key === "profile" ? {} : { tab: key }, { replace: true });
  return (
    <>
      <PageHeader title={t("settings.title")} description={t("settings.description")} />
      <div role="tablist" className="mb-6 flex gap-1 overflow-x-auto border-b border-slate-200 dark:border-slate-800">
        {TABS.map((key) => (
          <button
            key={key}
            role="tab"
            type="button"
            aria-selected={tab === key}
            onClick={() => setTab(key)}
            className={cn(
              "-mb-px whitespace-nowrap border-b-2 px-2.5 py-2 text-sm font-medium sm:px-3",
              tab === key
                ? "border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300"
                : "border-transparent text-slate-500 hover:text-slate-700 dark:hover:text-slate-300",
            )}
          >
            {t(`settings.tabs.${key}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === "profile" && <ProfileTab />}
        {tab === "password" && <PasswordTab />}
        {tab === "notifications" && <NotificationsTab />}
        {tab === "workspace" && <WorkspaceTab />}
        {tab === "team" && <TeamTab />}
        {tab === "ai" && <AiCredentialsTab />}
        {tab === "api" && <ApiChannelTab />}
      </div>
    </>
  );
}
