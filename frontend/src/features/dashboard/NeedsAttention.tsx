import { AlertOctagon, AlertTriangle, ArrowRight, CheckCircle2, Info } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { cn } from "../../components/ui/cn";
import { useAttention, type AttentionItem } from "./liveApi";

const SEVERITY = {
  critical: { icon: AlertOctagon, className: "text-rose-600 dark:text-rose-400" },
  warning: { icon: AlertTriangle, className: "text-amber-600 dark:text-amber-400" },
  info: { icon: Info, className: "text-sky-600 dark:text-sky-400" },
} as const;

/** One line's words: its kind's sentence with the count (a quota names its limit and how full it is). */
function useDescribe() {
  const { t } = useTranslation();
  return (item: AttentionItem) => {
    if (item.kind === "quota") {
      const metric = String(item.extra.metric ?? "");
      return t("dashboardLive.attention.quota", { limit: t(`dashboardLive.metrics.${metric}`, { defaultValue: metric }), percent: Math.round(Number(item.extra.percent ?? 0)) });
    }
    return t(`dashboardLive.attention.${item.kind}`, { count: item.count, defaultValue: `${item.kind}: ${item.count}` });
  };
}

/** What needs someone now, worst first, each with a link to the page that fixes it. */
export function NeedsAttention() {
  const { t } = useTranslation();
  const attention = useAttention();
  const describe = useDescribe();
  return (
    <section className="mb-8" aria-labelledby="dashboard-attention">
      <h2 id="dashboard-attention" className="mb-3 font-semibold">
        {t("dashboardLive.attention.title")}
      </h2>
      {attention.isError && <p className="text-sm text-rose-700 dark:text-rose-400">{t("dashboardLive.error")}</p>}
      {attention.data?.length === 0 && (
        <p data-testid="attention-empty" className="flex items-center gap-2 rounded-xl bg-white p-4 text-sm text-slate-600 shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:text-slate-300 dark:ring-slate-800">
          <CheckCircle2 className="size-5 text-emerald-600" aria-hidden />
          {t("dashboardLive.attention.empty")}
        </p>
      )}
      {attention.data && attention.data.length > 0 && (
        <ul className="divide-y divide-slate-200 rounded-xl bg-white shadow-xs ring-1 ring-slate-200 dark:divide-slate-800 dark:bg-slate-900 dark:ring-slate-800" data-testid="attention-list">
          {attention.data.map((item) => {
            const { icon: Icon, className } = SEVERITY[item.severity];
            return (
              <li key={`${item.kind}-${String(item.extra.metric ?? "")}`} data-testid={`attention-${item.kind}`} data-severity={item.severity}>
                <Link to={item.link} className="group flex items-center gap-3 p-3 text-sm hover:bg-slate-50 dark:hover:bg-slate-800/50">
                  <Icon className={cn("size-5 shrink-0", className)} aria-label={t(`dashboardLive.severity.${item.severity}`)} />
                  <span className="flex-1">{describe(item)}</span>
                  <span className="inline-flex items-center gap-1 text-xs font-medium text-indigo-600 dark:text-indigo-400">
                    {t("dashboardLive.attention.open")}
                    <ArrowRight className="size-3.5 transition group-hover:translate-x-0.5" aria-hidden />
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
