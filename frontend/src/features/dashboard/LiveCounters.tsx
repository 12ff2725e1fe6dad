import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { cn } from "../../components/ui/cn";
import { useLiveCounters, type LiveCounters as Counters } from "./liveApi";

/** The live cards, in order: the figure, and the page that shows those rows (filtered). */
const CARDS: { key: keyof Counters; to?: string; urgent?: boolean }[] = [
  { key: "conversations_today", to: "/conversations" },
  { key: "ai_replies_today" },
  { key: "pending_approvals", to: "/conversations?needs_approval=true", urgent: true },
  { key: "open_handoffs", to: "/conversations?status=human", urgent: true },
];

/** Today's counters and what waits now, refetched as realtime events arrive (useLiveRefresh). */
export function LiveCounters() {
  const { t, i18n } = useTranslation();
  const live = useLiveCounters();
  return (
    <section className="mb-6" aria-labelledby="dashboard-live">
      <h2 id="dashboard-live" className="mb-3 flex items-center gap-2 font-semibold">
        <span className="relative flex size-2" aria-hidden>
          <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-60" />
          <span className="relative inline-flex size-2 rounded-full bg-emerald-500" />
        </span>
        {t("dashboardLive.title")}
      </h2>
      {live.isError && <p className="text-sm text-rose-700 dark:text-rose-400">{t("dashboardLive.error")}</p>}
      <ul className="grid grid-cols-2 gap-3 xl:grid-cols-4" data-testid="live-counters">
        {CARDS.map((card) => {
          const value = live.data ? Number(live.data[card.key]) : null;
          const body = (
            <>
              <p className="truncate text-xs font-medium text-slate-500 dark:text-slate-400">{t(`dashboardLive.counters.${card.key}`)}</p>
              <p className={cn("mt-1 text-2xl font-semibold tabular-nums", card.urgent && value ? "text-amber-700 dark:text-amber-400" : "")} data-testid="live-value">
                {value === null ? "…" : new Intl.NumberFormat(i18n.language).format(value)}
              </p>
            </>
          );
          const box = "block h-full rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800";
          return (
            <li key={card.key} data-testid={`live-${card.key}`}>
              {card.to ? (
                <Link to={card.to} className={cn(box, "transition hover:ring-indigo-300 dark:hover:ring-indigo-700")}>
                  {body}
                </Link>
              ) : (
                <div className={box}>{body}</div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
