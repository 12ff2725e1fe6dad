import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useWsKey } from "../../api/hooks";
import { ApiError } from "../../api/problem";
import type { KommoOAuthMessage } from "../../api/types";
import { useToast } from "../../components/ui/toast";
import { useKommoAuthorize } from "./api";

export const OAUTH_WINDOW = "kommo-oauth";
export const OAUTH_FEATURES = "width=600,height=720";

function isOAuthMessage(data: unknown): data is KommoOAuthMessage {
  return typeof data === "object" && data !== null && (data as { type?: unknown }).type === "kommo.oauth";
}

/**
 * Connect with OAuth in a popup. The popup ends on our callback page, which posts
 * `{type: "kommo.oauth", ok, code?, detail?}` to this window (same origin only) and closes; then the
 * status is fetched again and a toast says how it went. A blocked popup falls back to a plain redirect
 * (the callback then comes back to /integrations?kommo=connected|failed). When the platform has no
 * OAuth app (409 kommo_oauth_not_configured), `onNotConfigured` runs: offer the long-lived token.
 * Mount it once per page: each instance listens for the popup's message.
 */
export function useKommoOAuth({ onNotConfigured }: { onNotConfigured: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const key = useWsKey();
  const queryClient = useQueryClient();
  const popup = useRef<Window | null>(null);
  const [waiting, setWaiting] = useState(false);

  useEffect(() => {
    function onMessage(event: MessageEvent) {
      if (event.origin !== window.location.origin || !isOAuthMessage(event.data)) return;
      popup.current = null;
      setWaiting(false);
      void queryClient.invalidateQueries({ queryKey: key("integration") });
      if (event.data.ok) toast.success(t("integrations.kommo.connectedToast"));
      else toast.error(t("integrations.kommo.connectFailed", { detail: event.data.detail || t("integrations.kommo.connectFailedUnknown") }));
    }
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [key, queryClient, t, toast]);

  // Closed by hand before it answered: stop waiting (nothing changed).
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      if (popup.current?.closed) {
        popup.current = null;
        setWaiting(false);
      }
    }, 800);
    return () => clearInterval(timer);
  }, [waiting]);

  const authorize = useKommoAuthorize({
    onSuccess: ({ authorize_url }) => {
      const opened = window.open(authorize_url, OAUTH_WINDOW, OAUTH_FEATURES);
      if (!opened) {
        window.location.assign(authorize_url);
        return;
      }
      popup.current = opened;
      setWaiting(true);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "kommo_oauth_not_configured") onNotConfigured();
      else toast.error(error);
    },
  });

  return { start: () => authorize.mutate(), busy: authorize.isPending || waiting, waiting };
}

export type KommoOAuth = ReturnType<typeof useKommoOAuth>;

/** How the cards that connect (or reconnect) choose between the popup and the long-lived token form. */
export interface ConnectChoice {
  oauth: KommoOAuth;
  /** The platform has no OAuth app: only the long-lived token can connect. */
  noOAuth: boolean;
  tokenForm: boolean;
  onTokenForm: (open: boolean) => void;
}
