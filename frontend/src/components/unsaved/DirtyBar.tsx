import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../ui/Button";
import { cn } from "../ui/cn";

/**
 * The one Save (and Discard) of an editor. On a page it is a bar stuck to the bottom of the view,
 * shown while there are changes to save (or a save runs); `inline` it is the form's own action row
 * (dialogs, settings cards), always shown, Save enabled once something changed. `error` is what the
 * save's failure says about no field in particular (field errors go beside their fields);
 * `children` are more actions, before Discard (a dialog's Close). Inside a form, leave out `onSave`:
 * Save then submits it (Enter in a field saves too).
 */
export function DirtyBar({
  dirty,
  saving,
  onSave,
  onDiscard,
  error,
  inline = false,
  saveLabel,
  children,
}: {
  dirty: boolean;
  saving: boolean;
  onSave?: () => void;
  onDiscard: () => void;
  error?: string | null;
  inline?: boolean;
  saveLabel?: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  if (!inline && !dirty && !saving && !error) return null;
  return (
    <div
      role="region"
      aria-label={t("unsaved.bar")}
      className={cn(
        "flex flex-wrap items-center justify-end gap-3",
        !inline &&
          "sticky bottom-0 z-20 -mx-4 mt-6 border-t border-slate-200 bg-white/95 px-4 py-3 shadow-[0_-6px_12px_-10px_rgba(15,23,42,0.4)] backdrop-blur sm:-mx-6 sm:px-6 lg:-mx-8 lg:px-8 dark:border-slate-800 dark:bg-slate-900/95",
      )}
    >
      <div aria-live="polite" className="mr-auto min-w-0 text-sm">
        {error ? (
          <p role="alert" className="text-red-700 dark:text-red-300">
            {error}
          </p>
        ) : (
          dirty && <p className="font-medium text-amber-800 dark:text-amber-300">{t("unsaved.pending")}</p>
        )}
      </div>
      {children}
      {dirty && (
        <Button variant="secondary" onClick={onDiscard} disabled={saving}>
          {t("unsaved.discard")}
        </Button>
      )}
      <Button type={onSave ? "button" : "submit"} onClick={onSave} loading={saving} disabled={!dirty}>
        {saveLabel ?? t("common.save")}
      </Button>
    </div>
  );
}
