import { Bot, X } from "lucide-react";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";
import { cn } from "../../components/ui/cn";
import { NAV } from "./nav";

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  return (
    <ul className="space-y-0.5">
      {NAV.map(({ path, key, icon: Icon }) => (
        <li key={path}>
          <NavLink
            to={path}
            end={path === "/"}
            onClick={onNavigate}
            className={({ isActive }) =>
              cn(
                "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium",
                isActive
                  ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-950/60 dark:text-indigo-300"
                  : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
              )
            }
          >
            <Icon className="size-5 shrink-0" aria-hidden />
            {t(`nav.${key}`)}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}

function Brand() {
  const { t } = useTranslation();
  return (
    <div className="flex items-center gap-2 px-3">
      <div className="flex size-8 items-center justify-center rounded-lg bg-indigo-600 text-white">
        <Bot className="size-5" aria-hidden />
      </div>
      <span className="text-sm font-semibold">{t("app.name")}</span>
    </div>
  );
}

/** Fixed on wide screens; below `lg` a drawer opened from the header. */
export function Sidebar({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      <aside className="hidden w-64 shrink-0 flex-col border-r border-slate-200 bg-white py-4 lg:flex dark:border-slate-800 dark:bg-slate-900">
        <Brand />
        <nav aria-label={t("nav.main")} className="mt-6 flex-1 overflow-y-auto px-2">
          <NavLinks />
        </nav>
      </aside>
      {open && (
        <div className="fixed inset-0 z-40 lg:hidden">
          <div className="absolute inset-0 bg-slate-900/50" aria-hidden onClick={onClose} />
          <aside className="relative flex h-full w-72 max-w-[85%] flex-col bg-white py-4 shadow-xl dark:bg-slate-900">
            <div className="flex items-center justify-between pr-2">
              <Brand />
              <button
                type="button"
                onClick={onClose}
                aria-label={t("nav.closeMenu")}
                className="rounded-md p-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
              >
                <X className="size-5" aria-hidden />
              </button>
            </div>
            <nav aria-label={t("nav.main")} className="mt-6 flex-1 overflow-y-auto px-2">
              <NavLinks onNavigate={onClose} />
            </nav>
          </aside>
        </div>
      )}
    </>
  );
}
