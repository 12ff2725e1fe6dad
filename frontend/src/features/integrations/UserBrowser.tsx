import { useTranslation } from "react-i18next";
import { Badge } from "../../components/ui/Badge";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useKommoUsers } from "./api";

/** The account's active users, as synced. */
export function UserBrowser() {
  const { t } = useTranslation();
  const users = useKommoUsers();
  if (users.isPending) return <PageSkeleton rows={2} />;
  if (users.isError) return <ErrorState error={users.error} onRetry={() => void users.refetch()} />;
  if (users.data.length === 0) return <p className="text-sm text-slate-500 dark:text-slate-400">{t("integrations.kommo.nothingSynced")}</p>;
  return (
    <ul className="divide-y divide-slate-100 dark:divide-slate-800">
      {users.data.map((user) => (
        <li key={user.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
          <span className="font-medium">{user.name || "—"}</span>
          {user.is_admin && <Badge tone="indigo">{t("integrations.kommo.kommoAdmin")}</Badge>}
          <span className="min-w-0 truncate text-slate-500 dark:text-slate-400">{user.email}</span>
          <span className="ml-auto font-mono text-xs text-slate-400">#{user.id}</span>
        </li>
      ))}
    </ul>
  );
}
