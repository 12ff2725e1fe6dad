import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { ErrorState } from "../../components/ui/states";
import { useAgentOptions } from "../agents/api";
import { useUsage, type Range } from "./api";
import { UsageTable } from "./UsageTable";

// Recharts is a large module: it loads with the chart, after the tables.
const UsageChart = lazy(() => import("./UsageChart"));

/** AI usage over the period: per day (a chart), per agent and per model (tables). */
export function UsageSection({ range }: { range: Range | undefined }) {
  const { t } = useTranslation();
  const byDay = useUsage(range, "date");
  const byAgent = useUsage(range, "agent");
  const byModel = useUsage(range, "model");
  const agents = useAgentOptions();
  const agentName = (id: number | null | undefined) => (id == null ? t("statistics.noAgent") : (agents.data?.find((a) => a.id === id)?.name ?? `#${id}`));
  const error = byDay.error ?? byAgent.error ?? byModel.error;
  const loading = <p className="text-sm text-slate-500">{t("dashboardStats.loading")}</p>;
  return (
    <section className="mt-8" aria-labelledby="statistics-usage">
      <h2 id="statistics-usage" className="mb-3 font-semibold">
        {t("statistics.usage")}
      </h2>
      {error ? (
        <ErrorState error={error} />
      ) : (
        <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
          <div className="lg:col-span-2">{byDay.data ? <Suspense fallback={loading}><UsageChart rows={byDay.data.rows} /></Suspense> : loading}</div>
          {byAgent.data ? <UsageTable title={t("statistics.byAgent")} column={t("statistics.agent")} testId="usage-by-agent" rows={byAgent.data.rows} totals={byAgent.data.totals} label={(row) => agentName(row.agent_id)} /> : loading}
          {byModel.data ? <UsageTable title={t("statistics.byModel")} column={t("statistics.model")} testId="usage-by-model" rows={byModel.data.rows} totals={byModel.data.totals} label={(row) => `${row.provider}: ${row.model_id}`} /> : loading}
        </div>
      )}
    </section>
  );
}
