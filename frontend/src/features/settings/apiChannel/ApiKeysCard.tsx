import { Trash2 } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { ApiKey } from "../../../api/types";
import { Badge } from "../../../components/ui/Badge";
import { Button } from "../../../components/ui/Button";
import { Card } from "../../../components/ui/Card";
import { cn } from "../../../components/ui/cn";
import { useConfirm } from "../../../components/ui/confirm";
import { ErrorState, PageSkeleton } from "../../../components/ui/states";
import { useToast } from "../../../components/ui/toast";
import { useApiKeys, useRevokeApiKey } from "../api";

/** The workspace's API keys (hint, scopes, who made it, last use), each revocable. */
export function ApiKeysCard() {
  const { t } = useTranslation();
  const keys = useApiKeys();
  return (
    <Card>
      <h2 className="mb-1 text-sm font-semibold">{t("settings.apiChannel.keysTitle")}</h2>
      <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">{t("settings.apiChannel.keysHint")}</p>
      {keys.isPending ? (
        <PageSkeleton rows={2} />
      ) : keys.isError ? (
        <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <p className="text-sm text-slate-400">{t("settings.apiChannel.noKeys")}</p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label={t("settings.apiChannel.keysTitle")}>
          {keys.data.map((k) => (
            <ApiKeyRow key={k.id} apiKey={k} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function ApiKeyRow({ apiKey: k }: { apiKey: ApiKey }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const confirm = useConfirm();
  const revoke = useRevokeApiKey();
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  async function onRevoke() {
    const ok = await confirm({
      title: t("settings.apiChannel.revokeConfirmTitle", { name: k.name }),
      message: t("settings.apiChannel.revokeConfirm"),
      confirmLabel: t("settings.apiChannel.revoke"),
      danger: true,
    });
    if (ok) revoke.mutate(k.id, { onSuccess: () => toast.success(t("settings.apiChannel.revoked")), onError: toast.error });
  }
  return (
    <li className="flex items-start gap-3 py-3 text-sm">
      <div className={cn("min-w-0 flex-1", k.revoked_at && "opacity-70")}>
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <span className="min-w-0 truncate font-medium">{k.name}</span>
          <code className="text-xs text-slate-500 dark:text-slate-400">{k.hint}</code>
          {k.revoked_at && <Badge tone="red">{t("settings.apiChannel.revokedOn", { date: when(k.revoked_at) })}</Badge>}
        </p>
        <div className="mt-1 flex flex-wrap gap-1">
          {k.scopes.map((scope) => (
            <Badge key={scope} tone={k.revoked_at ? "gray" : "indigo"}>
              {t(`settings.apiChannel.scopeShort.${scope}`)}
            </Badge>
          ))}
        </div>
        <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          {t("settings.apiChannel.createdBy", { who: k.created_by ?? "—", date: when(k.created_at) })}
          {" · "}
          {k.last_used_at ? t("settings.apiChannel.lastUsed", { date: when(k.last_used_at) }) : t("settings.apiChannel.neverUsed")}
        </p>
      </div>
      {!k.revoked_at && (
        <Button variant="ghost" size="sm" loading={revoke.isPending} aria-label={t("settings.apiChannel.revokeKey", { name: k.name })} onClick={() => void onRevoke()}>
          <Trash2 className="size-4 text-red-600" aria-hidden />
        </Button>
      )}
    </li>
  );
}
