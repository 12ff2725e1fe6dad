import { useTranslation } from "react-i18next";
import { TextAreaField } from "../../components/ui/fields";
import { TEMPLATE_VARIABLES } from "./actions";

/** A message template: the text, and the variables it may use (a click adds one at the end). */
export function TemplateField({ label, value, onChange, error, rows = 3 }: { label: string; value: string; onChange: (v: string) => void; error?: string; rows?: number }) {
  const { t } = useTranslation();
  return (
    <div>
      <TextAreaField label={label} rows={rows} value={value} error={error} onChange={(e) => onChange(e.target.value)} />
      <div className="mt-1.5 flex flex-wrap items-center gap-1.5 text-xs text-slate-500 dark:text-slate-400">
        <span>{t("triggers.params.variables")}</span>
        {TEMPLATE_VARIABLES.map((v) => (
          <button
            key={v}
            type="button"
            className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-700 hover:bg-indigo-100 dark:bg-slate-800 dark:text-slate-300 dark:hover:bg-indigo-900"
            aria-label={t("triggers.params.insertVariable", { name: v })}
            onClick={() => onChange(`${value}${value && !value.endsWith(" ") ? " " : ""}${v}`)}
          >
            {v}
          </button>
        ))}
      </div>
    </div>
  );
}
