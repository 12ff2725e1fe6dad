import { useTranslation } from "react-i18next";
import { cn } from "../../components/ui/cn";
import { PERIODS, type Period } from "../dashboard/statisticsApi";

/** 7 / 30 / 90 days, as a segmented switch. */
export function PeriodPicker({ value, onChange }: { value: Period; onChange: (period: Period) => void }) {
  const { t } = useTranslation();
  return (
    <div role="group" aria-label={t("dashboardStats.period")} className="inline-flex rounded-lg bg-slate-100 p-0.5 dark:bg-slate-800">
      {PERIODS.map((period) => (
        <button
          key={period}
          type="button"
          aria-pressed={value === period}
          data-testid={`period-${period}`}
          onClick={() => onChange(period)}
          className={cn(
            "rounded-md px-3 py-1 text-sm font-medium",
            value === period ? "bg-white text-slate-900 shadow-xs dark:bg-slate-950 dark:text-white" : "text-slate-600 dark:text-slate-300",
          )}
        >
          {t(`dashboardStats.periods.${period}`)}
        </button>
      ))}
    </div>
  );
}
