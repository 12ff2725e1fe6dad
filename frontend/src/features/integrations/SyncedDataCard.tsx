import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/ui/Card";
import { Tabs } from "../../components/ui/Tabs";
import { FieldBrowser } from "./FieldBrowser";
import { PipelineBrowser } from "./PipelineBrowser";
import { UserBrowser } from "./UserBrowser";

const TABS = ["pipelines", "leads", "contacts", "companies", "users"] as const;
type Tab = (typeof TABS)[number];

/** What the last sync brought from Kommo: pipelines with their stages, the fields of each entity, the users. */
export function SyncedDataCard() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>("pipelines");
  return (
    <Card className="min-w-0">
      <h3 className="mb-1 text-sm font-semibold">{t("integrations.kommo.syncedTitle")}</h3>
      <p className="mb-4 text-sm text-slate-500 dark:text-slate-400">{t("integrations.kommo.syncedHint")}</p>
      <Tabs label={t("integrations.kommo.syncedTitle")} tabs={TABS.map((key) => [key, t(`integrations.kommo.browse.${key}`)] as const)} value={tab} onChange={setTab} />
      <div role="tabpanel">
        {tab === "pipelines" && <PipelineBrowser />}
        {(tab === "leads" || tab === "contacts" || tab === "companies") && <FieldBrowser entity={tab} />}
        {tab === "users" && <UserBrowser />}
      </div>
    </Card>
  );
}
