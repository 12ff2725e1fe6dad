import { useTranslation } from "react-i18next";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageRow } from "./api";

const TOOLTIP = { backgroundColor: "rgb(15 23 42)", color: "white", border: "none", borderRadius: 8, fontSize: 12 };

/** Tokens (bars) and cost (line) per day (Recharts, loaded with this module only). */
export default function UsageChart({ rows }: { rows: UsageRow[] }) {
  const { t, i18n } = useTranslation();
  const day = new Intl.DateTimeFormat(i18n.language, { day: "numeric", month: "short", timeZone: "UTC" });
  const data = rows.map((row) => ({ date: day.format(new Date(`${row.date}T00:00:00Z`)), tokens: row.total_tokens, calls: row.calls, cost: Number(row.cost) }));
  return (
    <figure data-testid="chart-usage" className="rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <figcaption className="mb-2 text-sm font-medium">{t("statistics.usageByDay")}</figcaption>
      <div className="h-64 text-slate-500 dark:text-slate-400">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />
            <XAxis dataKey="date" stroke="currentColor" fontSize={11} tickLine={false} minTickGap={16} />
            <YAxis yAxisId="tokens" stroke="currentColor" fontSize={11} width={48} allowDecimals={false} />
            <YAxis yAxisId="cost" orientation="right" stroke="currentColor" fontSize={11} width={44} tickFormatter={(v: number) => `$${v}`} />
            <Tooltip contentStyle={TOOLTIP} cursor={{ fill: "currentColor", fillOpacity: 0.08 }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar yAxisId="tokens" dataKey="tokens" name={t("statistics.tokens")} fill="#6366f1" radius={[3, 3, 0, 0]} />
            <Line yAxisId="cost" type="monotone" dataKey="cost" name={t("statistics.cost")} stroke="#f59e0b" dot={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
