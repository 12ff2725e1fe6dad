import { ArrowLeft } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { PageHeader } from "../../components/ui/PageHeader";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { Switch } from "../../components/ui/Switch";
import { Tabs } from "../../components/ui/Tabs";
import { useToast } from "../../components/ui/toast";
import { agentApi, useAgent, useAgentMutation } from "./api";
import { ChannelsTab } from "./editor/ChannelsTab";
import { CrmTab } from "./editor/CrmTab";
import { KnowledgeTab } from "./editor/KnowledgeTab";
import { PipelinesTab } from "./editor/PipelinesTab";
import { RulesTab } from "./editor/RulesTab";
import { SettingsTab } from "./editor/SettingsTab";
import { VersionsTab } from "./editor/VersionsTab";
import { ModelStatusBanner } from "./ModelStatusBanner";

const TABS = ["settings", "channels", "pipelines", "knowledge", "crm", "rules", "versions"] as const;
type Tab = (typeof TABS)[number];

/** /agents/:id — the agent's name, version and on/off switch above one tab of its configuration. */
export function AgentEditorPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const agent = useAgent(id);
  const toast = useToast();
  const toggle = useAgentMutation((on: boolean) => agentApi.toggle(id, on));
  const [tab, setTab] = useState<Tab>("settings");
  if (agent.isPending) return <PageSkeleton />;
  if (agent.isError) return <ErrorState error={agent.error} onRetry={() => void agent.refetch()} />;
  return (
    <>
      <Link to="/agents" className="mb-2 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-700 dark:hover:text-slate-300">
        <ArrowLeft className="size-4" aria-hidden />
        {t("agents.title")}
      </Link>
      <PageHeader
        title={agent.data.name}
        description={t("agentEditor.version", { version: agent.data.version })}
        actions={
          <label className="flex items-center gap-2 text-sm">
            {agent.data.is_active ? t("agents.active") : t("agents.inactive")}
            <Switch checked={agent.data.is_active ?? false} label={t("agents.toggleLabel", { name: agent.data.name })} onChange={(on) => toggle.mutate(on, { onError: toast.error })} />
          </label>
        }
      />
      <ModelStatusBanner status={agent.data.model_status} className="mb-4" />
      <Tabs label={t("agentEditor.sections")} tabs={TABS.map((k) => [k, t(`agentEditor.tabs.${k}`)] as const)} value={tab} onChange={setTab} />
      <div role="tabpanel">
        {tab === "settings" && <SettingsTab agent={agent.data} key={agent.data.version} />}
        {tab === "channels" && <ChannelsTab agent={agent.data} />}
        {tab === "pipelines" && <PipelinesTab agent={agent.data} />}
        {tab === "knowledge" && <KnowledgeTab agent={agent.data} />}
        {tab === "crm" && <CrmTab agent={agent.data} />}
        {tab === "rules" && <RulesTab agent={agent.data} />}
        {tab === "versions" && <VersionsTab agent={agent.data} />}
      </div>
    </>
  );
}
