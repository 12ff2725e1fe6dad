import { ScrollText } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { loadMoreProps } from "../../api/paging";
import { Card } from "../../components/ui/Card";
import { inputClass } from "../../components/ui/fields";
import { LoadMore } from "../../components/ui/LoadMore";
import { EmptyState, ErrorState, PageSkeleton } from "../../components/ui/states";
import { OUTCOMES, useTriggerLogs } from "./api";
import { LogEntry } from "./LogEntry";

/** The trigger's log, newest first, page by page, filtered by outcome. */
export function TriggerLogTab({ triggerId }: { triggerId: number }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState("");
  const logs = useTriggerLogs(triggerId, outcome);
  return (
    <Card className="min-w-0">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-base font-semibold">{t("triggers.log.title")}</h2>
        <div className="w-full sm:w-56">
          <select aria-label={t("triggers.log.filter")} className={inputClass} value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">{t("triggers.log.allOutcomes")}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`triggers.outcomes.${o}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {logs.isPending ? (
        <PageSkeleton rows={2} />
      ) : logs.isError ? (
        <ErrorState error={logs.error} onRetry={() => void logs.refetch()} />
      ) : logs.data.items.length === 0 ? (
        <EmptyState icon={ScrollText} title={t("triggers.log.empty")} description={t("triggers.log.emptyText")} />
      ) : (
        <>
          <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label={t("triggers.log.title")}>
            {logs.data.items.map((log) => (
              <LogEntry key={log.id} log={log} />
            ))}
          </ul>
          <LoadMore className="mt-3 px-1" {...loadMoreProps(logs)} />
        </>
      )}
    </Card>
  );
}
