import { useTranslation } from "react-i18next";
import { Badge } from "../../components/ui/Badge";
import { Card } from "../../components/ui/Card";
import { ErrorState, Skeleton } from "../../components/ui/states";
import { useInvoices } from "./api";

/** The workspace's invoices (Stripe's, as dj-stripe synced them), newest first, with their PDFs. */
export function InvoicesTable() {
  const { t, i18n } = useTranslation();
  const invoices = useInvoices();
  const money = (amount: string, currency: string) => Number(amount).toLocaleString(i18n.language, { style: "currency", currency: currency || "USD" });
  return (
    <Card>
      <h2 className="mb-4 text-lg font-semibold">{t("billing.invoices.title")}</h2>
      {invoices.isPending ? (
        <Skeleton className="h-16" />
      ) : invoices.isError ? (
        <ErrorState error={invoices.error} onRetry={() => void invoices.refetch()} />
      ) : invoices.data.invoices.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">{t("billing.invoices.none")}</p>
      ) : (
        <div className="-mx-4 overflow-x-auto sm:mx-0">
          <table className="w-full min-w-[32rem] text-sm" data-testid="invoices">
            <thead>
              <tr className="text-left text-slate-500">
                <th className="p-2 font-medium">{t("billing.invoices.date")}</th>
                <th className="p-2 font-medium">{t("billing.invoices.number")}</th>
                <th className="p-2 font-medium">{t("billing.invoices.amount")}</th>
                <th className="p-2 font-medium">{t("billing.invoices.status")}</th>
                <th className="p-2 font-medium">
                  <span className="sr-only">{t("billing.invoices.links")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {invoices.data.invoices.map((invoice) => (
                <tr key={invoice.id}>
                  <td className="p-2">{new Date(invoice.created).toLocaleDateString(i18n.language, { dateStyle: "medium" })}</td>
                  <td className="p-2 font-mono text-xs">{invoice.number}</td>
                  <td className="p-2 tabular-nums">{money(invoice.total, invoice.currency)}</td>
                  <td className="p-2">
                    <Badge tone={invoice.status === "paid" ? "green" : invoice.status === "open" ? "red" : "gray"}>{t(`billing.invoices.statuses.${invoice.status}`, invoice.status)}</Badge>
                  </td>
                  <td className="space-x-3 p-2 text-right">
                    {invoice.invoice_pdf && (
                      <a className="text-indigo-600 hover:underline dark:text-indigo-400" href={invoice.invoice_pdf} target="_blank" rel="noreferrer">
                        {t("billing.invoices.pdf")}
                      </a>
                    )}
                    {invoice.hosted_invoice_url && (
                      <a className="text-indigo-600 hover:underline dark:text-indigo-400" href={invoice.hosted_invoice_url} target="_blank" rel="noreferrer">
                        {t("billing.invoices.view")}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
