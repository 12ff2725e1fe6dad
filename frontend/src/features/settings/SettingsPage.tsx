import type { ComponentType } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { PageHeader } from "../../components/ui/PageHeader";
import { Tabs } from "../../components/ui/Tabs";
import { KeepDrafts } from "../../components/unsaved/KeepDrafts";
import { AiCredentialsTab } from "./AiCredentialsTab";
import { ApiChannelTab } from "./apiChannel/ApiChannelTab";
import { NotificationsTab } from "./NotificationsTab";
import { PasswordTab } from "./PasswordTab";
import { ProfileTab } from "./ProfileTab";
import { TeamTab } from "./TeamTab";
import { WorkspaceTab } from "./WorkspaceTab";

const TABS = ["profile", "password", "notifications", "workspace", "team", "ai", "api"] as const;
type Tab = (typeof TABS)[number];

const PANELS: Record<Tab, ComponentType> = {
  profile: ProfileTab,
  password: PasswordTab,
  notifications: NotificationsTab,
  workspace: WorkspaceTab,
  team: TeamTab,
  ai: AiCredentialsTab,
  api: ApiChannelTab,
};

/**
 * Settings: profile (avatar, language), password, notification preferences, the workspace (name, time
 * zone), team, AI credentials, API channel. Each form saves on its own; their drafts are kept above the
 * tabs, so a switch to another tab loses nothing, and leaving the page with a draft asks first. The tab
 * is in the URL (`?tab=ai`), so other pages link to one.
 */
export function SettingsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const asked = params.get("tab");
  const tab: Tab = TABS.find((key) => key === asked) ?? "profile";
  const setTab = (key: Tab) => setParams(key === "profile" ? {} : { tab: key }, { replace: true });
  const Panel = PANELS[tab];
  return (
    <>
      <PageHeader title={t("settings.title")} description={t("settings.description")} />
      <Tabs label={t("settings.title")} tabs={TABS.map((key) => [key, t(`settings.tabs.${key}`)] as const)} value={tab} onChange={setTab} />
      <KeepDrafts>
        <div role="tabpanel">
          <Panel />
        </div>
      </KeepDrafts>
    </>
  );
}
