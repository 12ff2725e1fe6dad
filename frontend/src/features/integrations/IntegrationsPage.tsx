import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { PageHeader } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/toast";
import { KommoSection } from "./KommoSection";

/**
 * /integrations — the CRM the agents work in (Kommo). Coming back from a full-page OAuth redirect
 * (a blocked popup), `?kommo=connected|failed` says how it went: a toast, then the URL is cleaned.
 */
export function IntegrationsPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const outcome = params.get("kommo");
  const handled = useRef<string | null>(null);
  useEffect(() => {
    if (!outcome) {
      handled.current = null;
      return;
    }
    if (handled.current === outcome) return;
    handled.current = outcome;
    if (outcome === "connected") toast.success(t("integrations.kommo.connectedToast"));
    else toast.error(t("integrations.kommo.connectFailed", { detail: t("integrations.kommo.connectFailedUnknown") }));
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete("kommo");
        return next;
      },
      { replace: true },
    );
  }, [outcome, setParams, t, toast]);

  return (
    <>
      <PageHeader title={t("integrations.title")} description={t("integrations.description")} />
      <KommoSection />
    </>
  );
}
