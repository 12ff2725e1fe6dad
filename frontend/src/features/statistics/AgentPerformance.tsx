import { useTranslation } from "react-i18next";
import { ErrorState } from "../../components/ui/states";
import { useAgentOptions } from "../agents/api";
import type { Period } from "../dashboard/statisticsApi";
import { useAgentPerformance } from "./api";
import { money } from "./UsageTable";

const rate = (value: number | null | undefined) => (value == null ? "—" : `${Math.round(value * 100)}%`);
const seconds = (value: number | null | undefined) => (value == null ? "—" : value < 90 ? `${Math.round(value)} s` : `${Math.round(value / 60)} min`);

/** Each agent's figures over the period (GET /api/statistics/agents/<id>), one row per agent. */
export function AgentPerformance({ period }: { period: Period }) {
  const { t } = useTranslation();
  const agents = useAgentOptions();
  const list = agents.data ?? [];
  const figures = useAgentPerformance(
    list.map((a) => a.id),
    period,
  );
  const columns = ["conversations", "aiReplies", "approvalRate", "handoffRate", "firstResponse", "cost"] as const;
  return (
    <section className="mt-8" aria-labelledby="statistics-agents">
      <h2 id="statistics-agents" className="mb-3 font-semibold">
        {t("statistics.agents")}
      </h2>
      {agents.isError ? (
        <ErrorState error={agents.error} />
      ) : list.length === 0 ? (
        <p className="text-sm text-slate-500">{agents.isPending ? t("dashboardStats.loading") : t("statistics.noAgents")}</p>
      ) : (
        <div className="overflow-x-auto rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
          <table className="w-full text-sm" data-testid="agent-performance">
            <thead className="text-left text-xs text-slate-500 dark:text-slate-400">
              <tr>
                <th className="py-1 pr-2 font-medium">{t("statistics.agent")}</th>
                {columns.map((column) => (
                  <th key={column} className="px-2 py-1 text-right font-medium">
                    {t(`statistics.columns.${column}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {list.map((agent, index) => {
                const result = figures[index];
                const f = result?.data?.current;
                const cells = f ? [f.conversations, f.ai_replies, rate(f.approval_rate), rate(f.handoff_rate), seconds(f.first_response_median_seconds), money(f.cost)] : null;
                return (
                  <tr key={agent.id}>
                    <td className="py-1.5 pr-2">{agent.name}</td>
                    {cells ? (
                      cells.map((cell, i) => (
                        <td key={columns[i]} className="px-2 py-1.5 text-right tabular-nums">
                          {cell}
                        </td>
                      ))
                    ) : (
                      <td colSpan={columns.length} className="px-2 py-1.5 text-right text-slate-500">
                        {result?.isPending ? "…" : result?.isError ? t("dashboardStats.error") : t("statistics.noActivity")}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
