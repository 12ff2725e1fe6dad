import { Building2 } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Outlet } from "react-router";
import { useRealtime } from "../../api/realtime";
import { Skeleton, EmptyState, ErrorState, PageSkeleton } from "../../components/ui/states";
import { UnsavedChangesProvider } from "../../components/unsaved/UnsavedChanges";
import { PaymentAlert } from "../billing/PaymentAlert";
import { useWorkspacesQuery } from "../workspaces/api";
import { useWorkspace, WorkspaceProvider } from "../workspaces/workspace";
import { Header } from "./Header";
import { Sidebar } from "./Sidebar";
import { UserMenu } from "./Header";
import { ThemeToggle } from "./ThemeToggle";

/** The signed-in layout: loads the user's workspaces, then sidebar + header + the page. */
export function AppShell() {
  const { t } = useTranslation();
  const workspaces = useWorkspacesQuery();
  if (workspaces.isPending) return <ShellSkeleton />;
  if (workspaces.isError) {
    return (
      <div className="mx-auto max-w-lg p-8">
        <ErrorState error={workspaces.error} onRetry={() => void workspaces.refetch()} />
      </div>
    );
  }
  if (workspaces.data.length === 0) {
    return (
      <div className="mx-auto max-w-lg p-8">
        <div className="mb-4 flex justify-end gap-1">
          <ThemeToggle />
          <UserMenu />
        </div>
        <EmptyState icon={Building2} title={t("workspaces.none")} />
      </div>
    );
  }
  return (
    <WorkspaceProvider workspaces={workspaces.data}>
      <UnsavedChangesProvider>
        <ShellLayout />
      </UnsavedChangesProvider>
    </WorkspaceProvider>
  );
}

function ShellLayout() {
  const [navOpen, setNavOpen] = useState(false);
  const { current } = useWorkspace();
  const realtime = useRealtime(current?.id ?? null);
  return (
    <div className="flex h-full">
      <Sidebar open={navOpen} onClose={() => setNavOpen(false)} />
      <div className="flex min-w-0 flex-1 flex-col">
        <Header onOpenNav={() => setNavOpen(true)} realtime={realtime} />
        <PaymentAlert />
        <main className="flex-1 overflow-y-auto">
          <div className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 lg:px-8">
            <Outlet key={current?.id} />
          </div>
        </main>
      </div>
    </div>
  );
}

function ShellSkeleton() {
  return (
    <div className="flex h-full">
      <div className="hidden w-64 space-y-3 border-r border-slate-200 p-4 lg:block dark:border-slate-800">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-8" />
        ))}
      </div>
      <div className="flex-1">
        <div className="h-14 border-b border-slate-200 dark:border-slate-800" />
        <div className="mx-auto max-w-6xl p-6">
          <PageSkeleton />
        </div>
      </div>
    </div>
  );
}
