import { Building2, Check, ChevronsUpDown, LogOut, Menu as MenuIcon, Settings, UserCircle2 } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { RealtimeStatus } from "../../api/websocket";
import { cn } from "../../components/ui/cn";
import { useConfirmLeave } from "../../components/unsaved/UnsavedChanges";
import { useToast } from "../../components/ui/toast";
import { NotificationBell } from "../notifications/NotificationBell";
import { useSession } from "../auth/session";
import { useProfile } from "../settings/api";
import { useWorkspace } from "../workspaces/workspace";
import { Menu, MenuItem } from "./Menu";
import { ThemeToggle } from "./ThemeToggle";

export function WorkspaceSwitcher() {
  const { t } = useTranslation();
  const toast = useToast();
  const { workspaces, current, switchWorkspace } = useWorkspace();
  const confirmLeave = useConfirmLeave();
  return (
    <Menu
      label={t("header.switchWorkspace")}
      align="left"
      className="min-w-0"
      trigger={
        <>
          <Building2 className="size-4 shrink-0 text-slate-500" aria-hidden />
          <span className="truncate font-medium" data-testid="current-workspace">
            {current?.name}
          </span>
          <ChevronsUpDown className="size-4 shrink-0 text-slate-400" aria-hidden />
        </>
      }
    >
      {(close) => (
        <>
          <p className="px-3 py-1.5 text-xs font-medium uppercase tracking-wide text-slate-500">{t("header.workspace")}</p>
          {workspaces.map((workspace) => (
            <MenuItem
              key={workspace.id}
              active={workspace.id === current?.id}
              onSelect={async () => {
                close();
                // The page is rebuilt for the other workspace: what its editors hold would be lost.
                if (workspace.id !== current?.id && (await confirmLeave())) {
                  switchWorkspace(workspace.id);
                  toast.info(t("workspaces.switched", { name: workspace.name }));
                }
              }}
            >
              <span className="flex-1 truncate">{workspace.name}</span>
              <span className="text-xs text-slate-500">{t(`workspaces.role.${workspace.role}`, workspace.role)}</span>
              {workspace.id === current?.id && <Check className="size-4" aria-hidden />}
            </MenuItem>
          ))}
        </>
      )}
    </Menu>
  );
}

export function UserMenu() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const toast = useToast();
  const { logout } = useSession();
  const confirmLeave = useConfirmLeave();
  const profile = useProfile();
  const name = profile.data?.name || profile.data?.email;
  return (
    <Menu
      label={t("header.userMenu")}
      trigger={
        <>
          {profile.data?.avatar_url ? (
            <img src={profile.data.avatar_url} alt="" className="size-7 rounded-full object-cover" />
          ) : (
            <UserCircle2 className="size-7 text-slate-400" aria-hidden />
          )}
          {name && <span className="hidden max-w-40 truncate sm:inline">{name}</span>}
        </>
      }
    >
      {(close) => (
        <>
          {profile.data && (
            <div className="border-b border-slate-200 px-3 py-2 dark:border-slate-800">
              <p className="truncate text-sm font-medium">{profile.data.name}</p>
              <p className="truncate text-xs text-slate-500">{profile.data.email}</p>
            </div>
          )}
          <MenuItem
            onSelect={() => {
              close();
              navigate("/settings");
            }}
          >
            <Settings className="size-4" aria-hidden /> {t("header.profile")}
          </MenuItem>
          <MenuItem
            onSelect={async () => {
              close();
              if (!(await confirmLeave())) return;
              await logout();
              toast.info(t("auth.loggedOut"));
              navigate("/login", { replace: true });
            }}
          >
            <LogOut className="size-4" aria-hidden /> {t("header.logout")}
          </MenuItem>
        </>
      )}
    </Menu>
  );
}

export function Header({ onOpenNav, realtime }: { onOpenNav: () => void; realtime: RealtimeStatus }) {
  const { t } = useTranslation();
  const live = realtime === "open";
  return (
    <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-slate-200 bg-white/90 px-3 backdrop-blur sm:px-4 dark:border-slate-800 dark:bg-slate-900/90">
      <button
        type="button"
        onClick={onOpenNav}
        aria-label={t("nav.openMenu")}
        className="rounded-md p-2 text-slate-500 hover:bg-slate-100 lg:hidden dark:hover:bg-slate-800"
      >
        <MenuIcon className="size-5" aria-hidden />
      </button>
      <WorkspaceSwitcher />
      <div className="ml-auto flex items-center gap-1">
        <span
          role="status"
          title={live ? t("header.live") : t("header.offline")}
          aria-label={live ? t("header.live") : t("header.offline")}
          data-realtime={realtime}
          className={cn("mx-2 size-2 rounded-full", live ? "bg-emerald-500" : "bg-slate-300 dark:bg-slate-600")}
        />
        <NotificationBell />
        <ThemeToggle />
        <UserMenu />
      </div>
    </header>
  );
}
