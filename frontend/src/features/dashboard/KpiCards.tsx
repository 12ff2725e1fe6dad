import { ArrowDownRight, ArrowRight, ArrowUpRight } from "lucide-react";
import { useTranslation } from "react-i18next";
import { cn } from "../../components/ui/cn";
import { compare, durationParts, tone } from "./comparison";
import type { Dashboard, Figures } from "./statisticsApi";

type Format = "count" | "percent" | "money" | "duration";

/** The cards, in order: which figure, how to show it, which direction is good news, and a second line. */
const KPIS: { key: keyof Figures; format: Format; better: "up" | "down"; detail?: (f: Figures) => [string, Record<string, unknown>] }[] = [
  { key: "conversations", format: "count", better: "up" },
  { key: "ai_replies", format: "count", better: "up" },
  { key: "approval_rate", format: "percent", better: "up", detail: (f) => ["approvalDetail", { approved: f.approvals_approved, rejected: f.approvals_rejected }] },
  { key: "handoffs", format: "count", better: "down", detail: (f) => ["handoffDetail", { rate: pct(f.handoff_rate) }] },
  { key: "first_response_median_seconds", format: "duration", better: "down", detail: (f) => ["p90Detail", { p90: f.first_response_p90_seconds, count: f.first_responses }] },
  { key: "cost", format: "money", better: "down", detail: (f) => ["tokensDetail", { tokens: f.total_tokens }] },
  { key: "trigger_fires", format: "count", better: "up" },
  { key: "chain_runs_converted", format: "count", better: "up", detail: (f) => ["chainDetail", { rate: pct(f.chain_conversion_rate), finished: f.chain_runs_finished }] },
  { key: "field_writes", format: "count", better: "up" },
];

const pct = (rate: number | null | undefined) => (rate == null ? "—" : `${Math.round(rate * 100)}%`);

function numberOf(figures: Figures, key: keyof Figures): number | null {
  const value = figures[key];
  if (value == null) return null;
  return typeof value === "string" ? Number(value) : (value as number);
}

/** The period's figures as cards, each with its change against the previous period. */
export function KpiCards({ data }: { data: Dashboard }) {
  const { t, i18n } = useTranslation();
  const show = (value: number | null, format: Format): string => {
    if (value == null) return "—";
    if (format === "percent") return pct(value);
    if (format === "money") return new Intl.NumberFormat(i18n.language, { style: "currency", currency: "USD", maximumFractionDigits: 2 }).format(value);
    if (format === "duration") {
      const { value: amount, unit } = durationParts(value);
      return t(`dashboardStats.units.${unit}`, { value: amount });
    }
    return new Intl.NumberFormat(i18n.language).format(value);
  };
  return (
    <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-5" data-testid="kpi-cards">
      {KPIS.map((kpi) => {
        const current = numberOf(data.current, kpi.key);
        const change = compare(current, numberOf(data.previous, kpi.key));
        const mood = tone(change, kpi.better);
        const Arrow = change.direction === "up" ? ArrowUpRight : change.direction === "down" ? ArrowDownRight : ArrowRight;
        const detail = kpi.detail?.(data.current);
        return (
          <li key={kpi.key} data-testid={`kpi-${kpi.key}`} className="rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
            <p className="truncate text-xs font-medium text-slate-500 dark:text-slate-400">{t(`dashboardStats.kpi.${kpi.key}`)}</p>
            <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid="kpi-value">
              {show(current, kpi.format)}
            </p>
            <p
              data-testid="kpi-change"
              data-direction={change.direction}
              className={cn(
                "mt-1 inline-flex items-center gap-0.5 text-xs font-medium",
                mood === "good" && "text-emerald-700 dark:text-emerald-400",
                mood === "bad" && "text-rose-700 dark:text-rose-400",
                mood === "neutral" && "text-slate-500 dark:text-slate-400",
              )}
            >
              {change.direction !== "none" && change.direction !== "new" && <Arrow className="size-3.5" aria-hidden />}
              {t(`dashboardStats.change.${change.direction}`, { percent: change.percent })}
            </p>
            {detail && <p className="mt-1 truncate text-xs text-slate-500 dark:text-slate-400">{t(`dashboardStats.${detail[0]}`, { ...detail[1], p90: show(data.current.first_response_p90_seconds ?? null, "duration") })}</p>}
          </li>
        );
      })}
    </ul>
  );
}
