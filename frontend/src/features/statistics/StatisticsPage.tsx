import { Download } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { PageHeader } from "../../components/ui/PageHeader";
import { ErrorState } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { KpiCards } from "../dashboard/KpiCards";
import { useDashboardStatistics, type Period } from "../dashboard/statisticsApi";
import { AgentPerformance } from "./AgentPerformance";
import { downloadStatisticsCsv } from "./api";
import { PeriodPicker } from "./PeriodPicker";
import { UnansweredSection } from "./UnansweredSection";
import { UsageSection } from "./UsageSection";

/** Statistics: the period's figures, AI usage by day / agent / model, each agent, the questions the
 * knowledge base did not answer, and the CSV of the figures per day. */
export function StatisticsPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const [period, setPeriod] = useState<Period>("30d");
  const [downloading, setDownloading] = useState(false);
  const dashboard = useDashboardStatistics(period);
  // The server's days (the workspace's time zone), not the browser's: the usage asks for the same range.
  const range = dashboard.data ? { date_from: dashboard.data.date_from, date_to: dashboard.data.date_to } : undefined;
  async function download() {
    setDownloading(true);
    try {
      await downloadStatisticsCsv(period);
    } catch (error) {
      toast.error(error);
    } finally {
      setDownloading(false);
    }
  }
  return (
    <>
      <PageHeader
        title={t("statistics.title")}
        description={t("statistics.description")}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <PeriodPicker value={period} onChange={setPeriod} />
            <Button variant="secondary" onClick={() => void download()} loading={downloading} data-testid="download-csv">
              <Download className="size-4" aria-hidden />
              {t("statistics.downloadCsv")}
            </Button>
          </div>
        }
      />
      {dashboard.isError ? <ErrorState error={dashboard.error} /> : dashboard.data ? <KpiCards data={dashboard.data} /> : <p className="text-sm text-slate-500">{t("dashboardStats.loading")}</p>}
      <UsageSection range={range} />
      <AgentPerformance period={period} />
      <UnansweredSection period={period} />
    </>
  );
}
