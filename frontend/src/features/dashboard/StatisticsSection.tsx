import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { cn } from "../../components/ui/cn";
import { KpiCards } from "./KpiCards";
import { PERIODS, useDashboardStatistics, type Period } from "./statisticsApi";

// Recharts is a large module: it loads with the charts, after the cards.
const ActivityCharts = lazy(() => import("./ActivityCharts"));

/** The dashboard's statistics: a period switch, the KPI cards and the charts per day. */
export function StatisticsSection() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<Period>("7d");
  const statistics = useDashboardStatistics(period);
  return (
    <section className="mb-8" aria-labelledby="dashboard-statistics">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="dashboard-statistics" className="font-semibold">
          {t("dashboardStats.title")}
        </h2>
        <div role="group" aria-label={t("dashboardStats.period")} className="inline-flex rounded-lg bg-slate-100 p-0.5 dark:bg-slate-800">
          {PERIODS.map((value) => (
            <button
              key={value}
              type="button"
              aria-pressed={period === value}
              data-testid={`period-${value}`}
              onClick={() => setPeriod(value)}
              className={cn(
                "rounded-md px-3 py-1 text-sm font-medium",
                period === value ? "bg-white text-slate-900 shadow-xs dark:bg-slate-950 dark:text-white" : "text-slate-600 dark:text-slate-300",
              )}
            >
              {t(`dashboardStats.periods.${value}`)}
            </button>
          ))}
        </div>
      </div>
      {statistics.isError && <p className="text-sm text-rose-700 dark:text-rose-400">{t("dashboardStats.error")}</p>}
      {statistics.isPending && <p className="text-sm text-slate-500">{t("dashboardStats.loading")}</p>}
      {statistics.data && (
        <>
          <p className="mb-3 text-xs text-slate-500 dark:text-slate-400" data-testid="period-range">
            {t("dashboardStats.range", { from: statistics.data.date_from, to: statistics.data.date_to, previousFrom: statistics.data.previous_from, previousTo: statistics.data.previous_to })}
          </p>
          <KpiCards data={statistics.data} />
          <div className="mt-3">
            <Suspense fallback={<p className="text-sm text-slate-500">{t("dashboardStats.loading")}</p>}>
              <ActivityCharts series={statistics.data.series} />
            </Suspense>
          </div>
        </>
      )}
    </section>
  );
}
