import { useTranslation } from "react-i18next";
import { cn } from "../../components/ui/cn";
import { usageLevel, type LimitUsage } from "./api";

const BAR = { ok: "bg-indigo-500", warning: "bg-amber-500", full: "bg-red-600" } as const;
const TEXT = {
  ok: "text-slate-500 dark:text-slate-400",
  warning: "text-amber-700 dark:text-amber-400",
  full: "text-red-700 dark:text-red-400",
} as const;

/** One limit: used of limit, a bar amber from 80 % and red at 100 %. */
function UsageBar({ row }: { row: LimitUsage }) {
  const { t, i18n } = useTranslation();
  const level = usageLevel(row.percent);
  const number = (n: number) => n.toLocaleString(i18n.language);
  let figure: string;
  if (row.used == null) figure = t("billing.notMetered");
  else if (row.limit == null) figure = t("billing.usedUnlimited", { used: number(row.used) });
  else figure = t("billing.usedOf", { used: number(row.used), limit: number(row.limit) });
  const width = Math.min(row.percent ?? 0, 100);
  return (
    <li data-testid={`usage-${row.metric}`} data-level={level}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
        <span className="font-medium">{t(`billing.metrics.${row.metric}`)}</span>
        <span className={cn("tabular-nums", TEXT[level])}>
          {figure}
          {row.percent != null && ` · ${Math.round(row.percent)} %`}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={t(`billing.metrics.${row.metric}`)}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(width)}
        className="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800"
      >
        <div className={cn("h-full rounded-full transition-all", BAR[level])} style={{ width: `${width}%` }} />
      </div>
      {level === "full" && row.metric === "ai_replies_per_month" && (
        <p className="mt-1 text-xs text-red-700 dark:text-red-400">{t("billing.repliesStopped")}</p>
      )}
    </li>
  );
}

export function UsageBars({ limits }: { limits: LimitUsage[] }) {
  return (
    <ul className="space-y-4">
      {limits.map((row) => (
        <UsageBar key={row.metric} row={row} />
      ))}
    </ul>
  );
}
