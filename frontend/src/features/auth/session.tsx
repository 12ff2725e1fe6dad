import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { useToast } from "../../components/ui/toast";

export type SessionStatus = "loading" | "anonymous" | "authenticated";

interface SessionApi {
  status: SessionStatus;
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

/**
 * Whether someone is signed in. A new tab or a reload has no access token yet: when the browser may
 * have a session (its cookie), one refresh decides. A logout in another tab arrives as "logout".
 * When the client ends the session on its own (refresh refused) the cache is dropped and a toast says so.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const { t } = useTranslation();
  const [status, setStatus] = useState<SessionStatus>(() =>
    api.accessToken() ? "authenticated" : api.hasSession() ? "loading" : "anonymous",
  );

  useEffect(() => {
    const unsubscribe = api.subscribe((state, reason) => {
      setStatus(state);
      if (state === "anonymous") {
        queryClient.clear();
        if (reason === "expired") toast.info(t("auth.sessionExpired"));
      }
    });
    if (status === "loading") {
      api
        .ensureAccess()
        .then((token) => setStatus(token ? "authenticated" : "anonymous"))
        .catch(() => setStatus("anonymous"));
    }
    return unsubscribe;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on mount
  }, []);

  const login = useCallback((email: string, password: string) => api.login(email, password), []);
  const logout = useCallback(async () => {
    await api.logout();
    queryClient.clear();
  }, [queryClient]);

  return <SessionContext.Provider value={{ status, login, logout }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
