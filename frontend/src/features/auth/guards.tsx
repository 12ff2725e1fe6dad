import { Loader2 } from "lucide-react";
import { Navigate, Outlet, useLocation, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useSession } from "./session";

export function FullPageSpinner() {
  const { t } = useTranslation();
  return (
    <div role="status" aria-label={t("common.loading")} className="flex h-full items-center justify-center">
      <Loader2 className="size-8 animate-spin text-indigo-600" aria-hidden />
    </div>
  );
}

/** Pages of the app: a guest is sent to /login?next=<where they were going>. */
export function RequireAuth() {
  const { status } = useSession();
  const location = useLocation();
  if (status === "loading") return <FullPageSpinner />;
  if (status === "anonymous") {
    const next = location.pathname + location.search;
    return <Navigate to={next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

/** The pages only a signed-out visitor sees (children of GuestOnly in router.tsx). */
export const GUEST_PATHS = ["/login", "/register", "/forgot-password", "/reset-password"];

/** Login, register…: a signed-in user goes to the app (to ?next= when the login page was given one). */
export function GuestOnly() {
  const { status } = useSession();
  const [params] = useSearchParams();
  const { pathname } = useLocation();
  if (status === "loading") return <FullPageSpinner />;
  if (status === "authenticated") {
    // While the router moves on after login this element may render once more with the NEW
    // location (no ?next= any more): it must not redirect a second time, to "/".
    if (!GUEST_PATHS.includes(pathname)) return null;
    return <Navigate to={safeNext(params.get("next"))} replace />;
  }
  return <Outlet />;
}

/** Only same-site paths are followed after login (no open redirect through ?next=). */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}
