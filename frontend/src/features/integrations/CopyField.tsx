import { Copy } from "lucide-react";
import { useId, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { cn } from "../../components/ui/cn";
import { inputClass } from "../../components/ui/fields";
import { useToast } from "../../components/ui/toast";

/** A value to paste into Kommo: read-only, with a copy button (selected for a manual copy when the clipboard is refused). */
export function CopyField({ label, value, hint }: { label: ReactNode; value: string; hint?: ReactNode }) {
  const { t } = useTranslation();
  const toast = useToast();
  const field = useRef<HTMLInputElement>(null);
  const id = useId();
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      toast.success(t("integrations.kommo.copied"));
    } catch {
      field.current?.select();
      toast.info(t("integrations.kommo.copyManually"));
    }
  }
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      <div className="mt-1 flex gap-2">
        <input
          ref={field}
          id={id}
          readOnly
          value={value}
          spellCheck={false}
          onFocus={(e) => e.target.select()}
          aria-describedby={hint ? `${id}-hint` : undefined}
          className={cn(inputClass, "min-w-0 flex-1 bg-slate-50 font-mono text-xs dark:bg-slate-800/60")}
        />
        <Button variant="secondary" size="sm" aria-label={t("integrations.kommo.copyLabel", { label: typeof label === "string" ? label : value })} onClick={() => void copy()}>
          <Copy className="size-4" aria-hidden />
          <span className="hidden sm:inline">{t("integrations.kommo.copy")}</span>
        </Button>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-sm text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      )}
    </div>
  );
}
