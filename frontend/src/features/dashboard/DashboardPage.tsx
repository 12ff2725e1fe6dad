import { ArrowRight } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PageHeader } from "../../components/ui/PageHeader";
import { NAV } from "../shell/nav";
import { useWorkspace } from "../workspaces/workspace";

const STEPS = [
  { key: "agents", title: "dashboard.stepAgents", text: "dashboard.stepAgentsText" },
  { key: "knowledge", title: "dashboard.stepKnowledge", text: "dashboard.stepKnowledgeText" },
  { key: "playground", title: "dashboard.stepPlayground", text: "dashboard.stepPlaygroundText" },
] as const;

/** The first page after login; its statistics arrive with the Dashboard issue. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { current } = useWorkspace();
  return (
    <>
      <PageHeader title={t("dashboard.welcome", { workspace: current?.name })} description={t("dashboard.intro")} />
      <ol className="grid gap-4 md:grid-cols-3">
        {STEPS.map((step, index) => {
          const item = NAV.find((n) => n.key === step.key)!;
          const Icon = item.icon;
          return (
            <li key={step.key}>
              <Link
                to={item.path}
                className="group flex h-full flex-col rounded-xl bg-white p-5 shadow-xs ring-1 ring-slate-200 transition hover:ring-indigo-300 dark:bg-slate-900 dark:ring-slate-800 dark:hover:ring-indigo-700"
              >
                <div className="flex items-center gap-3">
                  <span className="flex size-9 items-center justify-center rounded-lg bg-indigo-50 text-indigo-600 dark:bg-indigo-950 dark:text-indigo-400">
                    <Icon className="size-5" aria-hidden />
                  </span>
                  <span className="text-xs font-medium text-slate-500">{index + 1}</span>
                </div>
                <h2 className="mt-4 font-semibold">{t(step.title)}</h2>
                <p className="mt-1 flex-1 text-sm text-slate-500 dark:text-slate-400">{t(step.text)}</p>
                <ArrowRight className="mt-4 size-4 text-slate-400 transition group-hover:translate-x-1 group-hover:text-indigo-500" aria-hidden />
              </Link>
            </li>
          );
        })}
      </ol>
    </>
  );
}
