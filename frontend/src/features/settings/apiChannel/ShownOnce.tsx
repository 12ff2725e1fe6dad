import { Copy } from "lucide-react";
import { useId, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { cn } from "../../../components/ui/cn";
import { inputClass } from "../../../components/ui/fields";
import { useToast } from "../../../components/ui/toast";

/** A secret from the response that created it: read-only, copyable, gone once dismissed. */
export function ShownOnce({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const field = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      toast.success(t("settings.apiChannel.copied"));
    } catch {
      // No clipboard access (permission, insecure origin): select the text for a manual copy.
      field.current?.select();
      toast.info(t("settings.apiChannel.copyManually"));
    }
  }
  return (
    <div className="rounded-lg bg-amber-50 p-3 ring-1 ring-amber-200 sm:p-4 dark:bg-amber-950/40 dark:ring-amber-900">
      <label htmlFor={id} className="block text-sm font-semibold text-amber-900 dark:text-amber-200">
        {label}
      </label>
      {/* A wrapping text area, so the whole value is visible however narrow the card. */}
      <textarea
        ref={field}
        id={id}
        readOnly
        rows={2}
        value={value}
        spellCheck={false}
        onFocus={(e) => e.target.select()}
        aria-describedby={`${id}-note`}
        className={cn(inputClass, "mt-2 resize-none font-mono break-all field-sizing-content")}
      />
      <p id={`${id}-note`} className="mt-2 text-sm text-amber-800 dark:text-amber-300">
        {t("settings.apiChannel.shownOnce")}
      </p>
      <div className="mt-3 flex flex-wrap justify-between gap-2">
        <Button variant="secondary" size="sm" onClick={() => void copy()}>
          <Copy className="size-4" aria-hidden />
          {t("settings.apiChannel.copy")}
        </Button>
        <Button size="sm" onClick={onDone}>
          {t("settings.apiChannel.done")}
        </Button>
      </div>
    </div>
  );
}
