import { Plus, Repeat, Trash2 } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { useConfirm } from "../../components/ui/confirm";
import { PageHeader } from "../../components/ui/PageHeader";
import { EmptyState, ErrorState, PageSkeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { chainApi, useChainMutation, useChains } from "./api";
import { delayParts } from "./chainDraft";
import { CreateChainModal } from "./CreateChainModal";

/** /chains — the workspace's follow-up chains: how each starts, its steps, how many runs are going. */
export function ChainsPage() {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const confirm = useConfirm();
  const toast = useToast();
  const chains = useChains();
  const remove = useChainMutation((id: number) => chainApi.remove(id));
  const create = (
    <Button onClick={() => setCreating(true)}>
      <Plus className="size-4" aria-hidden />
      {t("chains.new")}
    </Button>
  );
  return (
    <>
      <PageHeader title={t("chains.title")} description={t("chains.description")} actions={create} />
      {chains.isPending ? (
        <PageSkeleton />
      ) : chains.isError ? (
        <ErrorState error={chains.error} onRetry={() => void chains.refetch()} />
      ) : chains.data.length === 0 ? (
        <EmptyState icon={Repeat} title={t("chains.empty")} description={t("chains.emptyHint")} action={create} />
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {chains.data.map((chain) => (
            <li key={chain.id} className="flex flex-wrap items-center gap-3 p-4" data-testid="chain-row">
              <div className="min-w-0 flex-1">
                <Link to={`/chains/${chain.id}`} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                  {chain.name}
                </Link>
                <p className="text-sm text-slate-500">
                  {t(`chains.startOn.${chain.start_on ?? "manual"}`)} ·{" "}
                  {chain.steps
                    .map((step) => {
                      const { delay, unit } = delayParts(step.delay_minutes ?? 0);
                      return `${delay} ${t(`chains.units.${unit}`)}`;
                    })
                    .join(" → ")}
                </p>
              </div>
              <Badge tone={chain.is_active ? "green" : "gray"}>{chain.is_active ? t("chains.active") : t("chains.inactive")}</Badge>
              <span className="text-sm text-slate-500">{t("chains.activeRuns", { count: chain.active_runs ?? 0 })}</span>
              <Button
                variant="ghost"
                size="sm"
                aria-label={t("chains.delete", { name: chain.name })}
                onClick={async () => {
                  if (await confirm({ title: t("chains.deleteTitle", { name: chain.name }), confirmLabel: t("common.delete"), danger: true })) remove.mutate(chain.id, { onError: toast.error });
                }}
              >
                <Trash2 className="size-4" aria-hidden />
              </Button>
            </li>
          ))}
        </ul>
      )}
      <CreateChainModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
