import { useTranslation } from "react-i18next";
import { cn } from "../../../components/ui/cn";

/** A tab's name with a dot: amber while the tab holds changes to save, red when the save found a problem there. */
export function TabLabel({ label, state }: { label: string; state: "changed" | "error" | null }) {
  const { t } = useTranslation();
  return (
    <span className="inline-flex items-center gap-1.5" data-tab-state={state ?? undefined}>
      {label}
      {state && (
        <>
          {" "}
          <span aria-hidden className={cn("size-1.5 rounded-full", state === "error" ? "bg-red-500" : "bg-amber-500")} />
          <span className="sr-only">({state === "error" ? t("unsaved.tabError") : t("unsaved.tabChanged")})</span>
        </>
      )}
    </span>
  );
}
