import { useTranslation } from "react-i18next";
import type { Agent } from "../../../api/types";
import { Modal } from "../../../components/ui/Modal";
import { ErrorState, PageSkeleton } from "../../../components/ui/states";
import { useVersionDiff } from "../api";

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "∅";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** What changed from one version of the agent to the next, field by field. */
export function DiffModal({ agent, from, to, onClose }: { agent: Agent; from: number; to: number; onClose: () => void }) {
  const { t } = useTranslation();
  const diff = useVersionDiff(agent.id, from, to);
  const changes = (diff.data?.changes ?? {}) as Record<string, { from?: unknown; to?: unknown; added?: unknown[]; removed?: unknown[] }>;
  return (
    <Modal open onClose={onClose} size="lg" title={t("agentEditor.diffTitle", { from, to })}>
      {diff.isPending ? (
        <PageSkeleton rows={2} />
      ) : diff.isError ? (
        <ErrorState error={diff.error} />
      ) : Object.keys(changes).length === 0 ? (
        <p className="text-sm text-slate-500">{t("agentEditor.noChanges")}</p>
      ) : (
        <dl className="space-y-3 text-sm">
          {Object.entries(changes).map(([field, change]) => (
            <div key={field}>
              <dt className="font-medium">{field}</dt>
              <dd className="mt-1 grid gap-1 font-mono text-xs">
                {"added" in change || "removed" in change ? (
                  <>
                    {(change.removed ?? []).map((r, i) => (
                      <span key={`r${i}`} className="rounded bg-red-50 px-2 py-1 text-red-800 dark:bg-red-950 dark:text-red-300">− {show(r)}</span>
                    ))}
                    {(change.added ?? []).map((a, i) => (
                      <span key={`a${i}`} className="rounded bg-emerald-50 px-2 py-1 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">+ {show(a)}</span>
                    ))}
                  </>
                ) : (
                  <>
                    <span className="rounded bg-red-50 px-2 py-1 break-all whitespace-pre-wrap text-red-800 dark:bg-red-950 dark:text-red-300">− {show(change.from)}</span>
                    <span className="rounded bg-emerald-50 px-2 py-1 break-all whitespace-pre-wrap text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">+ {show(change.to)}</span>
                  </>
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </Modal>
  );
}
