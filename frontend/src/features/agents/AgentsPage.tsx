import { ArrowDown, ArrowUp, Bot, Copy, Plus, Search, Trash2 } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { Button } from "../../components/ui/Button";
import { Badge } from "../../components/ui/Badge";
import { CreateByNameModal } from "../../components/ui/CreateByNameModal";
import { inputClass } from "../../components/ui/fields";
import { Switch } from "../../components/ui/Switch";
import { loadMoreProps } from "../../api/paging";
import { LoadMore } from "../../components/ui/LoadMore";
import { useConfirm } from "../../components/ui/confirm";
import { PageHeader } from "../../components/ui/PageHeader";
import { EmptyState, ErrorState, PageSkeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import type { Agent } from "../../api/types";
import { AgentChannels } from "./AgentChannels";
import { agentApi, useAgentMutation, useAgents, useChannelStatus, useModels, type AgentFilters } from "./api";
import { AGENT_CHANNELS } from "./channels";
import { ModelStatusBadge } from "./ModelStatusBanner";

export function AgentsPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<AgentFilters>({ ordering: "name" });
  const [creating, setCreating] = useState(false);
  const agents = useAgents(filters);
  const models = useModels();
  const set = (key: keyof AgentFilters, value: string) => setFilters((f) => ({ ...f, [key]: value || undefined }));

  return (
    <>
      <PageHeader
        title={t("agents.title")}
        description={t("agents.description")}
        actions={
          <Button onClick={() => setCreating(true)}>
            <Plus className="size-4" aria-hidden />
            {t("agents.new")}
          </Button>
        }
      />
      <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <label className="relative block">
          <span className="sr-only">{t("common.search")}</span>
          <Search className="pointer-events-none absolute top-2.5 left-3 size-4 text-slate-400" aria-hidden />
          <input
            type="search"
            className={`${inputClass} pl-9`}
            placeholder={t("agents.searchPlaceholder")}
            value={filters.search ?? ""}
            onChange={(e) => set("search", e.target.value)}
          />
        </label>
        <select aria-label={t("agents.filterStatus")} className={inputClass} value={filters.active ?? ""} onChange={(e) => set("active", e.target.value)}>
          <option value="">{t("agents.allStatuses")}</option>
          <option value="true">{t("agents.active")}</option>
          <option value="false">{t("agents.inactive")}</option>
        </select>
        <select aria-label={t("agents.filterChannel")} className={inputClass} value={filters.channel ?? ""} onChange={(e) => set("channel", e.target.value)}>
          <option value="">{t("agents.allChannels")}</option>
          {AGENT_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`channels.${c}`)}
            </option>
          ))}
        </select>
        <select aria-label={t("agents.filterModel")} className={inputClass} value={filters.model ?? ""} onChange={(e) => set("model", e.target.value)}>
          <option value="">{t("agents.allModels")}</option>
          {(models.data ?? []).map((m) => (
            <option key={m.id} value={m.model_id}>
              {m.display_name}
            </option>
          ))}
        </select>
      </div>
      {agents.isPending ? (
        <PageSkeleton rows={3} />
      ) : agents.isError ? (
        <ErrorState error={agents.error} onRetry={() => void agents.refetch()} />
      ) : agents.data.items.length === 0 ? (
        <EmptyState
          icon={Bot}
          title={filters.search || filters.active || filters.channel || filters.model ? t("agents.noMatches") : t("agents.empty")}
          description={t("agents.emptyText")}
          action={<Button onClick={() => setCreating(true)}>{t("agents.new")}</Button>}
        />
      ) : (
        <>
          <AgentTable agents={agents.data.items} ordering={filters.ordering ?? "name"} onSort={(o) => set("ordering", o)} />
          <LoadMore className="mt-3 px-1" {...loadMoreProps(agents)} />
        </>
      )}
      <CreateAgentModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function SortHeader({ field, label, ordering, onSort }: { field: string; label: string; ordering: string; onSort: (o: string) => void }) {
  const active = ordering.replace("-", "") === field;
  const desc = ordering.startsWith("-");
  return (
    <th scope="col" aria-sort={active ? (desc ? "descending" : "ascending") : undefined} className="px-3 py-2.5 text-left">
      <button type="button" className="inline-flex items-center gap-1 font-semibold" onClick={() => onSort(active && !desc ? `-${field}` : field)}>
        {label}
        {active && (desc ? <ArrowDown className="size-3.5" aria-hidden /> : <ArrowUp className="size-3.5" aria-hidden />)}
      </button>
    </th>
  );
}

function AgentTable({ agents, ordering, onSort }: { agents: Agent[]; ordering: string; onSort: (o: string) => void }) {
  const { t, i18n } = useTranslation();
  const confirm = useConfirm();
  const toast = useToast();
  const navigate = useNavigate();
  const toggle = useAgentMutation((v: { id: number; on: boolean }) => agentApi.toggle(v.id, v.on));
  const duplicate = useAgentMutation((id: number) => agentApi.duplicate(id));
  const remove = useAgentMutation((id: number) => agentApi.remove(id));
  const channelStatus = useChannelStatus();

  async function onDelete(agent: Agent) {
    const ok = await confirm({
      title: t("agents.deleteTitle", { name: agent.name }),
      message: t("agents.deleteText"),
      confirmLabel: t("common.delete"),
      danger: true,
    });
    if (ok) remove.mutate(agent.id, { onSuccess: () => toast.success(t("agents.deleted")), onError: toast.error });
  }

  return (
    <div className="overflow-x-auto rounded-xl bg-white shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <table className="min-w-full text-sm">
        <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <SortHeader field="name" label={t("agents.name")} ordering={ordering} onSort={onSort} />
            <th scope="col" className="hidden px-3 py-2.5 text-left font-semibold md:table-cell">{t("agents.channels")}</th>
            <th scope="col" className="hidden px-3 py-2.5 text-left font-semibold sm:table-cell">{t("agents.model")}</th>
            <SortHeader field="updated_at" label={t("agents.updated")} ordering={ordering} onSort={onSort} />
            <SortHeader field="is_active" label={t("agents.active")} ordering={ordering} onSort={onSort} />
            <th scope="col" className="px-3 py-2.5"><span className="sr-only">{t("common.actions")}</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {agents.map((agent) => (
            <tr key={agent.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/50">
              <td className="px-3 py-3">
                <Link to={`/agents/${agent.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  {agent.name}
                </Link>
                {agent.approval_required && (
                  <Badge tone="amber" className="ml-2">
                    {t("agents.approval")}
                  </Badge>
                )}
                <span className="sm:hidden">
                  <ModelStatusBadge status={agent.model_status} />
                </span>
              </td>
              <td className="hidden px-3 py-3 md:table-cell">
                <AgentChannels agent={agent} status={channelStatus.data ?? []} />
              </td>
              <td className="hidden px-3 py-3 text-slate-600 sm:table-cell dark:text-slate-400">
                {agent.model_status?.chosen.name ?? agent.model_id}
                <ModelStatusBadge status={agent.model_status} />
              </td>
              <td className="px-3 py-3 whitespace-nowrap text-slate-600 dark:text-slate-400">
                {new Date(agent.updated_at).toLocaleDateString(i18n.language)}
              </td>
              <td className="px-3 py-3">
                <Switch
                  checked={agent.is_active ?? false}
                  label={t("agents.toggleLabel", { name: agent.name })}
                  onChange={(on) => toggle.mutate({ id: agent.id, on }, { onError: toast.error })}
                />
              </td>
              <td className="px-3 py-3">
                <div className="flex justify-end gap-1">
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={t("agents.duplicateLabel", { name: agent.name })}
                    onClick={() =>
                      duplicate.mutate(agent.id, {
                        onSuccess: (copy) => {
                          toast.success(t("agents.duplicated"));
                          void navigate(`/agents/${copy.id}`);
                        },
                        onError: toast.error,
                      })
                    }
                  >
                    <Copy className="size-4" aria-hidden />
                  </Button>
                  <Button variant="ghost" size="sm" aria-label={t("agents.deleteLabel", { name: agent.name })} onClick={() => void onDelete(agent)}>
                    <Trash2 className="size-4 text-red-600 dark:text-red-400" aria-hidden />
                  </Button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CreateAgentModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useAgentMutation((n: string) => agentApi.create({ name: n }));
  return <CreateByNameModal open={open} onClose={onClose} title={t("agents.new")} label={t("agents.name")} formId="create-agent" create={create} pathOf={(agent) => `/agents/${agent.id}`} />;
}
