import { ExternalLink } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { ConversationDetail } from "../../api/types";

type Crm = NonNullable<ConversationDetail["crm"]>;
type CrmRecord = NonNullable<Crm["lead"]>;

/** The conversation's lead and contact in Kommo, as our snapshot knows them, with links to open them there. */
export function CrmPanel({ crm }: { crm: Crm }) {
  const { t, i18n } = useTranslation();
  return (
    <details open className="border-b border-slate-200 px-4 py-2 text-sm dark:border-slate-800" data-testid="crm-panel">
      <summary className="cursor-pointer text-xs font-semibold text-slate-600 dark:text-slate-300">{t("conversations.crm.title")}</summary>
      <div className="mt-2 grid gap-3 sm:grid-cols-2">
        {crm.lead && (
          <Record record={crm.lead} heading={t("conversations.crm.lead")}>
            {crm.lead.stage && (
              <Row label={t("conversations.crm.stage")}>
                {crm.lead.stage.pipeline} → {crm.lead.stage.name}
              </Row>
            )}
            {crm.lead.price != null && <Row label={t("conversations.crm.price")}>{crm.lead.price.toLocaleString(i18n.language)}</Row>}
          </Record>
        )}
        {crm.contact && (
          <Record record={crm.contact} heading={t("conversations.crm.contact")}>
            {crm.contact.phones.length > 0 && <Row label={t("conversations.crm.phones")}>{crm.contact.phones.join(", ")}</Row>}
            {crm.contact.emails.length > 0 && <Row label={t("conversations.crm.emails")}>{crm.contact.emails.join(", ")}</Row>}
          </Record>
        )}
      </div>
    </details>
  );
}

function Record({ record, heading, children }: { record: CrmRecord; heading: string; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <section aria-label={heading} className="min-w-0">
      <h3 className="text-xs text-slate-500 dark:text-slate-400">{heading}</h3>
      <p className="flex flex-wrap items-baseline gap-x-2">
        <span className="font-medium break-words">{record.name || `#${record.id}`}</span>
        <a href={record.url} target="_blank" rel="noreferrer" className="inline-flex items-center gap-0.5 text-xs text-indigo-600 hover:underline dark:text-indigo-400">
          {t("conversations.crm.open")}
          <ExternalLink className="size-3" aria-hidden />
        </a>
      </p>
      {!record.known && <p className="text-xs text-slate-500">{t("conversations.crm.notYet")}</p>}
      <dl className="mt-1 space-y-0.5 text-xs">
        {children}
        {record.fields.map((field) => (
          <Row key={field.name} label={field.name}>
            {field.value}
          </Row>
        ))}
      </dl>
    </section>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex gap-2">
      <dt className="shrink-0 text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}
