import { PlugZap } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { CatalogState } from "./useKommoCatalog";

/** Why the tab cannot pick from Kommo (not connected, not synced yet, not loaded), with the way to fix it. */
export function KommoNotice({ state }: { state: Exclude<CatalogState, "ready" | "loading"> }) {
  const { t } = useTranslation();
  return (
    <div role="note" className="flex items-start gap-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950/40 dark:text-amber-200 dark:ring-amber-900">
      <PlugZap className="mt-0.5 size-4 shrink-0" aria-hidden />
      <p>
        {t(`agentEditor.kommo.${state}`)}{" "}
        <Link to="/integrations" className="font-medium underline underline-offset-2 hover:text-amber-700 dark:hover:text-amber-100">
          {t("agentEditor.kommo.openIntegrations")}
        </Link>
      </p>
    </div>
  );
}
