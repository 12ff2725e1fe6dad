import { RotateCcw } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { loadMoreProps } from "../../../api/paging";
import type { Agent } from "../../../api/types";
import { Badge } from "../../../components/ui/Badge";
import { Button } from "../../../components/ui/Button";
import { useConfirm } from "../../../components/ui/confirm";
import { LoadMore } from "../../../components/ui/LoadMore";
import { ErrorState, PageSkeleton } from "../../../components/ui/states";
import { useToast } from "../../../components/ui/toast";
import { useAgentVersions, useRestoreVersion } from "../api";
import { DiffModal } from "./DiffModal";

/** The agent's versions: the diff of each against the one before, restore (which drops the editor's unsaved changes, after saying so). */
export function VersionsTab({ agent, dirty, onRestored }: { agent: Agent; dirty: boolean; onRestored: () => void }) {
  const { t, i18n } = useTranslation();
  const confirm = useConfirm();
  const toast = useToast();
  const [diff, setDiff] = useState<{ from: number; to: number } | null>(null);
  const versions = useAgentVersions(agent);
  const restore = useRestoreVersion(agent.id);
  if (versions.isPending) return <PageSkeleton rows={3} />;
  if (versions.isError) return <ErrorState error={versions.error} />;
  return (
    <>
      <ul className="divide-y divide-slate-100 rounded-xl bg-white ring-1 ring-slate-200 dark:divide-slate-800 dark:bg-slate-900 dark:ring-slate-800">
        {versions.data.items.map((v) => (
          <li key={v.number} className="flex flex-wrap items-center gap-3 p-3">
            <Badge tone={v.number === agent.version ? "indigo" : "gray"}>v{v.number}</Badge>
            <div className="min-w-0 flex-1 text-sm">
              <p className="font-medium">{v.reason || t("agentEditor.noReason")}</p>
              <p className="text-slate-500 dark:text-slate-400">
                {new Date(v.created_at).toLocaleString(i18n.language)} · {v.created_by ?? "—"}
              </p>
            </div>
            {v.number > 1 && (
              <Button variant="secondary" size="sm" onClick={() => setDiff({ from: v.number - 1, to: v.number })}>
                {t("agentEditor.diff")}
              </Button>
            )}
            {v.number !== agent.version && (
              <Button
                variant="secondary"
                size="sm"
                onClick={async () => {
                  const message = dirty ? `${t("agentEditor.restoreText")} ${t("agentEditor.restoreDropsChanges")}` : t("agentEditor.restoreText");
                  if (await confirm({ title: t("agentEditor.restoreTitle", { version: v.number }), message, danger: dirty }))
                    restore.mutate(v.number, {
                      onSuccess: () => {
                        onRestored();
                        toast.success(t("agentEditor.restored"));
                      },
                      onError: toast.error,
                    });
                }}
              >
                <RotateCcw className="size-4" aria-hidden />
                {t("agentEditor.restore")}
              </Button>
            )}
          </li>
        ))}
      </ul>
      <LoadMore className="mt-3 px-1" {...loadMoreProps(versions)} />
      {diff && <DiffModal agent={agent} {...diff} onClose={() => setDiff(null)} />}
    </>
  );
}
