import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { Agent } from "../../../api/types";
import { Modal } from "../../../components/ui/Modal";
import { ErrorState, PageSkeleton } from "../../../components/ui/states";
import { flatten, useCategoryTree } from "../../knowledge/api";
import { useVersionDiff } from "../api";
import { usePipelineCatalog } from "./useKommoCatalog";
import { diffLabel, diffRow, diffValue, type DiffLookups } from "./versionDiff";

type Change = { from?: unknown; to?: unknown; added?: unknown[]; removed?: unknown[] };

const removedClass = "rounded bg-red-50 px-2 py-1 break-words whitespace-pre-wrap text-red-800 dark:bg-red-950 dark:text-red-300";
const addedClass = "rounded bg-emerald-50 px-2 py-1 break-words whitespace-pre-wrap text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300";

/** What changed from one version of the agent to the next, field by field, labelled as in the editor. */
export function DiffModal({ agent, from, to, onClose }: { agent: Agent; from: number; to: number; onClose: () => void }) {
  const { t } = useTranslation();
  const diff = useVersionDiff(agent.id, from, to);
  const tree = useCategoryTree();
  const catalog = usePipelineCatalog();
  const lookups = useMemo<DiffLookups>(
    () => ({ categories: new Map(flatten(tree.data ?? []).map(([node]) => [node.id, node.name])), pipelines: catalog.pipelines }),
    [tree.data, catalog.pipelines],
  );
  const changes = (diff.data?.changes ?? {}) as Record<string, Change>;
  return (
    <Modal open onClose={onClose} size="lg" title={t("agentEditor.diffTitle", { from, to })}>
      {diff.isPending ? (
        <PageSkeleton rows={2} />
      ) : diff.isError ? (
        <ErrorState error={diff.error} />
      ) : Object.keys(changes).length === 0 ? (
        <p className="text-sm text-slate-500">{t("agentEditor.noChanges")}</p>
      ) : (
        <dl className="space-y-3 text-sm" data-testid="version-diff">
          {Object.entries(changes).map(([field, change]) => (
            <div key={field}>
              <dt className="font-medium">{diffLabel(field, t)}</dt>
              <dd className="mt-1 grid gap-1 text-xs">
                {"added" in change || "removed" in change ? (
                  <>
                    {(change.removed ?? []).map((row, i) => (
                      <span key={`r${i}`} className={removedClass}>
                        <span className="sr-only">{t("agentEditor.versionDiff.removed")} </span>− {diffRow(field, row, t, lookups)}
                      </span>
                    ))}
                    {(change.added ?? []).map((row, i) => (
                      <span key={`a${i}`} className={addedClass}>
                        <span className="sr-only">{t("agentEditor.versionDiff.added")} </span>+ {diffRow(field, row, t, lookups)}
                      </span>
                    ))}
                  </>
                ) : (
                  <>
                    <span className={removedClass}>
                      <span className="sr-only">{t("agentEditor.versionDiff.before")} </span>− {diffValue(field, change.from, t)}
                    </span>
                    <span className={addedClass}>
                      <span className="sr-only">{t("agentEditor.versionDiff.after")} </span>+ {diffValue(field, change.to, t)}
                    </span>
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
