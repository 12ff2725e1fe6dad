import { useTranslation } from "react-i18next";
import { Badge } from "../../components/ui/Badge";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useKommoFields } from "./api";

/** The synced custom fields of one entity: name, code, type, id and the choice values. */
export function FieldBrowser({ entity }: { entity: "leads" | "contacts" | "companies" }) {
  const { t } = useTranslation();
  const fields = useKommoFields();
  if (fields.isPending) return <PageSkeleton rows={2} />;
  if (fields.isError) return <ErrorState error={fields.error} onRetry={() => void fields.refetch()} />;
  const rows = fields.data.filter((f) => f.entity === entity);
  if (rows.length === 0) return <p className="text-sm text-slate-500 dark:text-slate-400">{t("integrations.kommo.noFields")}</p>;
  return (
    <ul className="divide-y divide-slate-100 dark:divide-slate-800">
      {rows.map((field) => (
        <li key={field.id} className="py-2.5 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{field.name}</span>
            <Badge>{field.type}</Badge>
            {field.is_api_only && <Badge tone="indigo">{t("integrations.kommo.apiOnly")}</Badge>}
            {field.deleted_in_kommo && <Badge tone="amber">{t("integrations.kommo.deletedInKommo")}</Badge>}
          </div>
          <p className="mt-0.5 font-mono text-xs break-all text-slate-500 dark:text-slate-400">
            id {field.id}
            {field.code ? ` · ${field.code}` : ""}
          </p>
          {field.enums.length > 0 && (
            <ul className="mt-1.5 flex flex-wrap gap-1" aria-label={t("integrations.kommo.enumsOf", { field: field.name })}>
              {field.enums.map((option) => (
                <li key={option.id} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                  {option.value}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
