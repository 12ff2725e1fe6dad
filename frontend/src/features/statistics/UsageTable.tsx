import { useTranslation } from "react-i18next";
import type { UsageRow } from "./api";

export const money = (value: string | number) => `$${Number(value).toFixed(2)}`;

/** Calls, tokens and cost per row (an agent, a model), with the totals. */
export function UsageTable({ title, column, testId, rows, label, totals }: { title: string; column: string; testId: string; rows: UsageRow[]; label: (row: UsageRow) => string; totals?: UsageRow }) {
  const { t, i18n } = useTranslation();
  const n = new Intl.NumberFormat(i18n.language);
  return (
    <figure className="overflow-x-auto rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">{t("statistics.noUsage")}</p>
      ) : (
        <table className="w-full text-sm" data-testid={testId}>
          <thead className="text-left text-xs text-slate-500 dark:text-slate-400">
            <tr>
              <th className="py-1 pr-2 font-medium">{column}</th>
              <th className="px-2 py-1 text-right font-medium">{t("statistics.calls")}</th>
              <th className="px-2 py-1 text-right font-medium">{t("statistics.tokens")}</th>
              <th className="py-1 pl-2 text-right font-medium">{t("statistics.cost")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {rows.map((row) => (
              <tr key={label(row)}>
                <td className="py-1.5 pr-2">{label(row)}</td>
                <td className="px-2 py-1.5 text-right tabular-nums">{n.format(row.calls)}</td>
                <td className="px-2 py-1.5 text-right tabular-nums">{n.format(row.total_tokens)}</td>
                <td className="py-1.5 pl-2 text-right tabular-nums">{money(row.cost)}</td>
              </tr>
            ))}
          </tbody>
          {totals && (
            <tfoot className="font-medium">
              <tr>
                <td className="py-1.5 pr-2">{t("statistics.total")}</td>
                <td className="px-2 py-1.5 text-right tabular-nums">{n.format(totals.calls)}</td>
                <td className="px-2 py-1.5 text-right tabular-nums">{n.format(totals.total_tokens)}</td>
                <td className="py-1.5 pl-2 text-right tabular-nums">{money(totals.cost)}</td>
              </tr>
            </tfoot>
          )}
        </table>
      )}
    </figure>
  );
}
