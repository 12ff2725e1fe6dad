import { Plus, Trash2, Zap } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { loadMoreProps } from "../../api/paging";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { useConfirm } from "../../components/ui/confirm";
import { LoadMore } from "../../components/ui/LoadMore";
import { PageHeader } from "../../components/ui/PageHeader";
import { EmptyState, ErrorState, PageSkeleton } from "../../components/ui/states";
import { Switch } from "../../components/ui/Switch";
import { useToast } from "../../components/ui/toast";
import { useAgentOptions } from "../agents/api";
import { triggerApi, useTriggerMutation, useTriggers, useVocabulary, type Trigger } from "./api";
import { summarize } from "./condition";
import { useSummaryWords } from "./labels";

const th = "px-3 py-2.5 text-left font-semibold";

/** /triggers — every trigger in priority order: its switch, what it tests in one line, its actions and firings. */
export function TriggersPage() {
  const { t } = useTranslation();
  const triggers = useTriggers();
  const newButton = (
    <Link to="/triggers/new" className="inline-flex items-center justify-center gap-2 rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-medium text-white shadow-xs hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
      <Plus className="size-4" aria-hidden />
      {t("triggers.new")}
    </Link>
  );
  return (
    <>
      <PageHeader title={t("triggers.title")} description={t("triggers.description")} actions={newButton} />
      {triggers.isPending ? (
        <PageSkeleton rows={3} />
      ) : triggers.isError ? (
        <ErrorState error={triggers.error} onRetry={() => void triggers.refetch()} />
      ) : triggers.data.items.length === 0 ? (
        <EmptyState icon={Zap} title={t("triggers.empty")} description={t("triggers.emptyText")} action={newButton} />
      ) : (
        <>
          <TriggerTable triggers={triggers.data.items} />
          <LoadMore className="mt-3 px-1" {...loadMoreProps(triggers)} />
        </>
      )}
    </>
  );
}

function TriggerTable({ triggers }: { triggers: Trigger[] }) {
  const { t, i18n } = useTranslation();
  const confirm = useConfirm();
  const toast = useToast();
  const vocabulary = useVocabulary();
  const words = useSummaryWords(vocabulary.data);
  const agents = useAgentOptions();
  const agentName = (id: number | null) => (id === null ? t("triggers.fields.everyAgent") : (agents.data?.find((a) => a.id === id)?.name ?? `#${id}`));
  const toggle = useTriggerMutation((v: { id: number; on: boolean }) => triggerApi.update(v.id, { is_active: v.on }));
  const remove = useTriggerMutation((id: number) => triggerApi.remove(id));

  async function onDelete(trigger: Trigger) {
    const ok = await confirm({ title: t("triggers.deleteTitle", { name: trigger.name }), message: t("triggers.deleteText"), confirmLabel: t("common.delete"), danger: true });
    if (ok) remove.mutate(trigger.id, { onSuccess: () => toast.success(t("triggers.deleted")), onError: toast.error });
  }

  return (
    <div className="overflow-x-auto rounded-xl bg-white shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <table className="min-w-full text-sm">
        <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className={th}>{t("triggers.fields.name")}</th>
            <th scope="col" className={`${th} hidden sm:table-cell`}>{t("triggers.fields.priority")}</th>
            <th scope="col" className={`${th} hidden lg:table-cell`}>{t("triggers.fields.agent")}</th>
            <th scope="col" className={`${th} hidden md:table-cell`}>{t("triggers.list.actions")}</th>
            <th scope="col" className={`${th} hidden md:table-cell`}>{t("triggers.list.lastFired")}</th>
            <th scope="col" className={`${th} hidden sm:table-cell`}>{t("triggers.list.firedTotal")}</th>
            <th scope="col" className={th}>{t("triggers.fields.active")}</th>
            <th scope="col" className="px-3 py-2.5"><span className="sr-only">{t("common.actions")}</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {triggers.map((trigger) => (
            <tr key={trigger.id} className="align-top hover:bg-slate-50 dark:hover:bg-slate-800/50">
              <td className="max-w-md px-3 py-3">
                <Link to={`/triggers/${trigger.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  {trigger.name}
                </Link>
                {trigger.uses_ai && <Badge tone="indigo" className="ml-2">{t("triggers.list.usesAi")}</Badge>}
                <p className="mt-1 line-clamp-2 text-xs break-words text-slate-500 dark:text-slate-400" title={summarize(trigger.condition, words)}>
                  {summarize(trigger.condition, words)}
                </p>
                <p className="mt-1 text-xs text-slate-500 sm:hidden dark:text-slate-400">
                  {t("triggers.list.phoneLine", { priority: trigger.priority, actions: trigger.actions.length, fired: trigger.fired_total })}
                </p>
              </td>
              <td className="hidden px-3 py-3 tabular-nums sm:table-cell">{trigger.priority}</td>
              <td className="hidden px-3 py-3 text-slate-600 lg:table-cell dark:text-slate-400">{agentName(trigger.agent ?? null)}</td>
              <td className="hidden px-3 py-3 tabular-nums md:table-cell">{trigger.actions.length}</td>
              <td className="hidden px-3 py-3 whitespace-nowrap text-slate-600 md:table-cell dark:text-slate-400">
                {trigger.last_fired_at ? new Date(trigger.last_fired_at).toLocaleString(i18n.language) : t("triggers.list.never")}
              </td>
              <td className="hidden px-3 py-3 tabular-nums sm:table-cell">{trigger.fired_total}</td>
              <td className="px-3 py-3">
                <Switch checked={trigger.is_active ?? false} label={t("triggers.toggleLabel", { name: trigger.name })} onChange={(on) => toggle.mutate({ id: trigger.id, on }, { onError: toast.error })} />
              </td>
              <td className="px-3 py-3 text-right">
                <Button variant="ghost" size="sm" aria-label={t("triggers.deleteLabel", { name: trigger.name })} onClick={() => void onDelete(trigger)}>
                  <Trash2 className="size-4 text-red-600 dark:text-red-400" aria-hidden />
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
