import { ArrowRight, CheckCircle2 } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { cn } from "../../components/ui/cn";
import { PageHeader } from "../../components/ui/PageHeader";
import { NAV } from "../shell/nav";
import { useWorkspace } from "../workspaces/workspace";
import { useGettingStarted, type GettingStarted } from "./api";
import { useLiveRefresh } from "./liveApi";
import { LiveCounters } from "./LiveCounters";
import { NeedsAttention } from "./NeedsAttention";
import { StatisticsSection } from "./StatisticsSection";

/** The setup steps, each done when the workspace shows it, with the number that says so. */
const STEPS = [
  { key: "agents", done: (s: GettingStarted) => s.agents > 0, count: (s: GettingStarted) => s.agents },
  { key: "knowledge", done: (s: GettingStarted) => s.articles > 0, count: (s: GettingStarted) => s.articles },
  { key: "playground", done: (s: GettingStarted) => s.playgroundChats > 0, count: (s: GettingStarted) => s.playgroundChats },
  { key: "integrations", done: (s: GettingStarted) => s.kommoConnected, count: (s: GettingStarted) => s.conversations },
] as const;

/** The first page after login: today's live counters, what needs attention, the period's statistics,
 * then the setup steps, ticked off as the workspace does them (hidden once every step is done). */
export function DashboardPage() {
  const { t } = useTranslation();
  const { current } = useWorkspace();
  const progress = useGettingStarted();
  useLiveRefresh();
  const done = progress.data ? STEPS.filter((step) => step.done(progress.data)).length : 0;
  return (
    <>
      <PageHeader title={t("dashboard.welcome", { workspace: current?.name })} description={t("dashboard.intro")} />
      <LiveCounters />
      <NeedsAttention />
      <StatisticsSection />
      {done === STEPS.length ? null : (
        <GettingStartedSteps progress={progress} done={done} />
      )}
    </>
  );
}

function GettingStartedSteps({ progress, done }: { progress: ReturnType<typeof useGettingStarted>; done: number }) {
  const { t } = useTranslation();
  return (
    <>
      <h2 className="mb-1 font-semibold">{t("dashboardStats.gettingStarted")}</h2>
      {progress.data && (
        <p className="mb-3 text-sm text-slate-500 dark:text-slate-400" data-testid="setup-progress">
          {t("dashboard.progress", { done, total: STEPS.length })}
        </p>
      )}
      <ol className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {STEPS.map((step, index) => {
          const item = NAV.find((n) => n.key === step.key)!;
          const Icon = item.icon;
          const finished = progress.data ? step.done(progress.data) : false;
          return (
            <li key={step.key} data-testid={`step-${step.key}`} data-done={finished}>
              <Link
                to={item.path}
                className={cn(
                  "group flex h-full flex-col rounded-xl bg-white p-5 shadow-xs ring-1 transition hover:ring-indigo-300 dark:bg-slate-900 dark:hover:ring-indigo-700",
                  finished ? "ring-emerald-200 dark:ring-emerald-900" : "ring-slate-200 dark:ring-slate-800",
                )}
              >
                <div className="flex items-center gap-3">
                  <span className="flex size-9 items-center justify-center rounded-lg bg-indigo-50 text-indigo-600 dark:bg-indigo-950 dark:text-indigo-400">
                    <Icon className="size-5" aria-hidden />
                  </span>
                  {finished ? (
                    <span className="inline-flex items-center gap-1 text-xs font-medium text-emerald-700 dark:text-emerald-400">
                      <CheckCircle2 className="size-4" aria-hidden />
                      {t("dashboard.done")}
                    </span>
                  ) : (
                    <span className="text-xs font-medium text-slate-500">{t("dashboard.step", { n: index + 1 })}</span>
                  )}
                </div>
                <h2 className="mt-4 font-semibold">{t(`dashboard.steps.${step.key}.title`)}</h2>
                <p className="mt-1 flex-1 text-sm text-slate-500 dark:text-slate-400">
                  {progress.data ? t(`dashboard.steps.${step.key}.${finished ? "count" : "todo"}`, { count: step.count(progress.data) }) : "…"}
                </p>
                <ArrowRight className="mt-4 size-4 text-slate-400 transition group-hover:translate-x-1 group-hover:text-indigo-500" aria-hidden />
              </Link>
            </li>
          );
        })}
      </ol>
    </>
  );
}
