import { Play } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { inputClass } from "../../components/ui/fields";
import { useToast } from "../../components/ui/toast";
import { chainApi, useChainMutation, useChains, useConversationChainRuns } from "./api";
import { RunStatus, RunTimeline } from "./RunTimeline";

/** The conversation page's "Chains" panel: this conversation's runs (with stop) and a chain to start. */
export function ConversationChains({ conversationId }: { conversationId: number }) {
  const { t } = useTranslation();
  const toast = useToast();
  const runs = useConversationChainRuns(conversationId);
  const chains = useChains();
  const [picked, setPicked] = useState("");
  const [open, setOpen] = useState<number | null>(null);
  const start = useChainMutation((chainId: number) => chainApi.start(chainId, conversationId));
  const stop = useChainMutation(({ chainId, runId }: { chainId: number; runId: number }) => chainApi.stopRun(chainId, runId));
  const startable = (chains.data ?? []).filter((chain) => chain.is_active);
  // Whatever the API answered, the conversation page keeps working (the panel is an aside).
  const list = Array.isArray(runs.data) ? runs.data : [];
  return (
    <details className="border-b border-slate-200 px-4 py-2 text-sm dark:border-slate-800" data-testid="chains-panel">
      <summary className="cursor-pointer text-xs font-semibold text-slate-600 dark:text-slate-300">
        {t("chains.panel.title", { count: list.filter((run) => run.status === "active").length })}
      </summary>
      <ul className="mt-2 space-y-2">
        {list.map((run) => (
          <li key={run.id}>
            <div className="flex flex-wrap items-center gap-2">
              <button type="button" className="font-medium hover:underline" aria-expanded={open === run.id} onClick={() => setOpen(open === run.id ? null : run.id)}>
                {run.chain.name}
              </button>
              <RunStatus status={run.status ?? "active"} />
              {run.status === "active" && (
                <Button variant="ghost" size="sm" onClick={() => stop.mutate({ chainId: run.chain.id, runId: run.id }, { onError: toast.error })}>
                  {t("chains.runs.stop")}
                </Button>
              )}
            </div>
            {open === run.id && <div className="mt-2"><RunTimeline run={run} /></div>}
          </li>
        ))}
        {runs.isSuccess && list.length === 0 && <li className="text-slate-500">{t("chains.panel.none")}</li>}
      </ul>
      <div className="mt-2 flex gap-2">
        <select aria-label={t("chains.panel.pick")} className={`${inputClass} max-w-xs`} value={picked} onChange={(e) => setPicked(e.target.value)}>
          <option value="">{t("chains.panel.pick")}</option>
          {startable.map((chain) => (
            <option key={chain.id} value={chain.id}>
              {chain.name}
            </option>
          ))}
        </select>
        <Button
          variant="secondary"
          size="sm"
          disabled={!picked}
          loading={start.isPending}
          onClick={() =>
            start.mutate(Number(picked), {
              onSuccess: () => {
                setPicked("");
                toast.success(t("chains.panel.started"));
              },
              onError: toast.error,
            })
          }
        >
          <Play className="size-4" aria-hidden />
          {t("chains.panel.start")}
        </Button>
      </div>
    </details>
  );
}
