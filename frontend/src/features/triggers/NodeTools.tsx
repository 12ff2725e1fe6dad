import { Trash2 } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";

/** A node's own controls: "Not" (negate it) and remove. */
export function NodeTools({ negated, onNegate, onRemove, number }: { negated: boolean; onNegate: (on: boolean) => void; onRemove: () => void; number: string }) {
  const { t } = useTranslation();
  return (
    <div className="flex shrink-0 items-center gap-1">
      <label className="inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-300">
        <input
          type="checkbox"
          className="size-4 rounded border-slate-300 text-indigo-600 dark:border-slate-600 dark:bg-slate-900"
          checked={negated}
          onChange={(e) => onNegate(e.target.checked)}
        />
        {t("triggers.cond.not")}
      </label>
      <Button variant="ghost" size="sm" aria-label={t("triggers.cond.remove", { n: number })} onClick={onRemove}>
        <Trash2 className="size-4 text-red-600 dark:text-red-400" aria-hidden />
      </Button>
    </div>
  );
}

/** A node's error line (about the node itself, or keys the row has no field for). */
export function NodeError({ children, id }: { children?: string; id?: string }) {
  if (!children) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-600 dark:text-red-400">
      {children}
    </p>
  );
}
