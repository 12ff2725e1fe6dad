import { useState, type ComponentType } from "react";
import { useTranslation } from "react-i18next";
import { cn } from "../../components/ui/cn";
import { PageHeader } from "../../components/ui/PageHeader";
import { KeepDrafts } from "../../components/unsaved/KeepDrafts";
import { AiCredentialsTab } from "./AiCredentialsTab";
import { ApiChannelTab } from "./apiChannel/ApiChannelTab";
import { NotificationsTab } from "./NotificationsTab";
import { PasswordTab } from "./PasswordTab";
import { ProfileTab } from "./ProfileTab";
import { TeamTab } from "./TeamTab";

const TABS = ["profile", "password", "notifications", "team", "ai", "api"] as const;
type Tab = (typeof TABS)[number];

const PANELS: Record<Tab, ComponentType> = {
  profile: ProfileTab,
  password: PasswordTab,
  notifications: NotificationsTab,
  team: TeamTab,
  ai: AiCredentialsTab,
  api: ApiChannelTab,
};

/**
 * Settings: profile (avatar, language), password, notification preferences, team, AI credentials, API
 * channel. Each form saves on its own; their drafts are kept above the tabs, so a switch to another
 * tab loses nothing, and leaving the page with a draft asks first.
 */
export function SettingsPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>("profile");
  const Panel = PANELS[tab];
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
      <KeepDrafts>
        <div role="tabpanel">
          <Panel />
        </div>
      </KeepDrafts>
    </>
  );
}
