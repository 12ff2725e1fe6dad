import { RefreshCw } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { KommoStatus, KommoSyncResult } from "../../api/types";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/Card";
import { useToast } from "../../components/ui/toast";
import { useKommoSync } from "./api";
import { Detail } from "./Detail";
import { formatWhen, SYNC_TONE } from "./kommo";

const COUNTS: ReadonlyArray<keyof KommoSyncResult> = ["pipelines", "stages", "leads_fields", "contacts_fields", "companies_fields", "users"];

/** The sync of pipelines, fields and users: its state, live progress (websocket events), last result and error; "Sync now". */
export function SyncCard({ status, admin }: { status: KommoStatus; admin: boolean }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const syncNow = useKommoSync({ onSuccess: () => toast.info(t("integrations.kommo.syncQueued")), onError: toast.error });
  const sync = status.sync;
  const running = sync?.status === "running";
  const progress = Math.max(0, Math.min(100, sync?.progress ?? 0));
  const result = sync?.result ?? {};
  const counted = COUNTS.filter((name) => typeof result[name] === "number");
  return (
    <Card className="min-w-0 space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">{t("integrations.kommo.sync")}</h3>
        {sync && <Badge tone={SYNC_TONE[sync.status]}>{t(`integrations.kommo.syncStatus.${sync.status}`)}</Badge>}
      </div>
      <p className="text-sm text-slate-500 dark:text-slate-400">{t("integrations.kommo.syncHint")}</p>
      {running && (
        <div>
          <div className="mb-1 flex justify-between text-xs text-slate-500 dark:text-slate-400">
            <span>{t("integrations.kommo.syncing")}</span>
            <span>{progress}%</span>
          </div>
          <div
            role="progressbar"
            aria-label={t("integrations.kommo.syncProgress")}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={progress}
            className="h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
          >
            <div className="h-full rounded-full bg-indigo-600 transition-[width] duration-500 dark:bg-indigo-400" style={{ width: `${progress}%` }} />
          </div>
        </div>
      )}
      <dl className="grid gap-3 sm:grid-cols-2">
        <Detail label={t("integrations.kommo.syncStartedAt")}>{formatWhen(sync?.started_at, i18n.language)}</Detail>
        {!running && <Detail label={t("integrations.kommo.syncFinished")}>{formatWhen(sync?.finished_at, i18n.language)}</Detail>}
      </dl>
      {counted.length > 0 && (
        <dl aria-label={t("integrations.kommo.lastResult")} className="grid grid-cols-2 gap-2 sm:grid-cols-3">
          {counted.map((name) => (
            <div key={name} className="rounded-lg bg-slate-50 p-2 ring-1 ring-slate-200 dark:bg-slate-800/50 dark:ring-slate-800">
              <dt className="text-xs text-slate-500 dark:text-slate-400">{t(`integrations.kommo.counts.${name}`)}</dt>
              <dd className="text-lg font-semibold tabular-nums">{result[name]}</dd>
            </div>
          ))}
        </dl>
      )}
      {sync?.error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-700 ring-1 ring-red-200 dark:bg-red-950/50 dark:text-red-300 dark:ring-red-900">
          {t("integrations.kommo.syncError", { error: sync.error })}
        </p>
      )}
      {admin && status.connected && (
        <div className="flex justify-end">
          <Button variant="secondary" className="disabled:opacity-60" disabled={running} loading={syncNow.isPending} onClick={() => syncNow.mutate()}>
            <RefreshCw className={running ? "size-4 animate-spin" : "size-4"} aria-hidden />
            {t("integrations.kommo.syncNow")}
          </Button>
        </div>
      )}
    </Card>
  );
}
