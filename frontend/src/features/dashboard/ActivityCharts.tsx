import { useTranslation } from "react-i18next";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DayFigures } from "./statisticsApi";

const TOOLTIP = { backgroundColor: "rgb(15 23 42)", color: "white", border: "none", borderRadius: 8, fontSize: 12 };

function Chart({ title, testId, children }: { title: string; testId: string; children: React.ReactElement }) {
  return (
    <figure data-testid={testId} className="rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <div className="h-56 text-slate-500 dark:text-slate-400">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** The period's days as charts (Recharts, loaded with this module only when the dashboard shows them). */
export default function ActivityCharts({ series }: { series: DayFigures[] }) {
  const { t, i18n } = useTranslation();
  const day = new Intl.DateTimeFormat(i18n.language, { day: "numeric", month: "short", timeZone: "UTC" });
  const rows = series.map((d) => ({
    date: day.format(new Date(`${d.date}T00:00:00Z`)),
    conversations: d.conversations,
    replies: d.ai_replies,
    cost: Number(d.cost),
    approval: d.approval_rate == null ? null : Math.round(d.approval_rate * 100),
    handoff: d.handoff_rate == null ? null : Math.round(d.handoff_rate * 100),
  }));
  const axes = [
    <CartesianGrid key="grid" strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />,
    <XAxis key="x" dataKey="date" stroke="currentColor" fontSize={11} tickLine={false} minTickGap={16} />,
    <Tooltip key="tip" contentStyle={TOOLTIP} cursor={{ fill: "currentColor", fillOpacity: 0.08 }} />,
  ];
  return (
    <div className="grid grid-cols-1 gap-3 lg:grid-cols-3" data-testid="activity-charts">
      <Chart title={t("dashboardStats.charts.activity")} testId="chart-activity">
        <BarChart data={rows}>
          {axes}
          <YAxis stroke="currentColor" fontSize={11} allowDecimals={false} width={32} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="conversations" name={t("dashboardStats.kpi.conversations")} fill="#6366f1" radius={[3, 3, 0, 0]} />
          <Bar dataKey="replies" name={t("dashboardStats.kpi.ai_replies")} fill="#10b981" radius={[3, 3, 0, 0]} />
        </BarChart>
      </Chart>
      <Chart title={t("dashboardStats.charts.cost")} testId="chart-cost">
        <AreaChart data={rows}>
          {axes}
          <YAxis stroke="currentColor" fontSize={11} width={40} tickFormatter={(v: number) => `$${v}`} />
          <Area type="monotone" dataKey="cost" name={t("dashboardStats.kpi.cost")} stroke="#f59e0b" fill="#f59e0b" fillOpacity={0.25} />
        </AreaChart>
      </Chart>
      <Chart title={t("dashboardStats.charts.rates")} testId="chart-rates">
        <LineChart data={rows}>
          {axes}
          <YAxis stroke="currentColor" fontSize={11} width={36} domain={[0, 100]} unit="%" />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line type="monotone" dataKey="approval" name={t("dashboardStats.kpi.approval_rate")} stroke="#10b981" connectNulls dot={false} unit="%" />
          <Line type="monotone" dataKey="handoff" name={t("dashboardStats.charts.handoffRate")} stroke="#f43f5e" connectNulls dot={false} unit="%" />
        </LineChart>
      </Chart>
    </div>
  );
}
