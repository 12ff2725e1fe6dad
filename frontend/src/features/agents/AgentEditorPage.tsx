import { ArrowLeft } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { PageHeader } from "../../components/ui/PageHeader";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { Switch } from "../../components/ui/Switch";
import { useToast } from "../../components/ui/toast";
import { agentApi, useAgent, useAgentMutation } from "./api";
import { AgentEditor } from "./editor/AgentEditor";
import { ModelStatusBanner } from "./ModelStatusBanner";

/**
 * /agents/:id — the agent's name, version and on/off switch (which acts at once), notices about the
 * agent as a whole, then its configuration tabs with one Save.
 */
export function AgentEditorPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const agent = useAgent(id);
  const toast = useToast();
  const toggle = useAgentMutation((on: boolean) => agentApi.toggle(id, on));
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
      <AgentEditor key={agent.data.id} agent={agent.data} />
    </>
  );
}
