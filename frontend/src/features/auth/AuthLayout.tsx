import { Bot } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ThemeToggle } from "../shell/ThemeToggle";

export function AuthLayout({ title, children, footer }: { title: ReactNode; children: ReactNode; footer?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="flex min-h-full flex-col">
      <div className="flex justify-end p-4">
        <ThemeToggle />
      </div>
      <main className="flex flex-1 flex-col items-center px-4 pb-16 sm:justify-center">
        <div className="w-full max-w-sm">
          <div className="mb-8 flex flex-col items-center text-center">
            <div className="flex size-12 items-center justify-center rounded-xl bg-indigo-600 text-white shadow-sm">
              <Bot className="size-7" aria-hidden />
            </div>
            <p className="mt-3 text-sm font-medium text-slate-500 dark:text-slate-400">{t("app.name")}</p>
            <h1 className="mt-1 text-2xl font-semibold tracking-tight">{title}</h1>
          </div>
          <div className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
            {children}
          </div>
          {footer && <div className="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">{footer}</div>}
        </div>
      </main>
    </div>
  );
}

export const linkClass = "font-medium text-indigo-600 hover:text-indigo-500 dark:text-indigo-400";
