import { BellOff } from "lucide-react";
import { useEffect, useId, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { Button } from "../../components/ui/Button";
import { cn } from "../../components/ui/cn";
import { Skeleton } from "../../components/ui/states";
import { useMarkAllRead, useMarkRead, useNotifications, type Notification } from "./api";
import { notificationLink, timeAgo } from "./format";

/** The bell's panel: a popover under the bell on wide screens, a sheet across the top on a phone. */
export function NotificationPanel({ id, unread, onClose }: { id: string; unread: number; onClose: () => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const list = useNotifications(true);
  const markAll = useMarkAllRead();
  const rows = list.data?.pages.flatMap((page) => page.results) ?? [];
  // Focus moves into the panel, so a keyboard user reads it next (Escape brings focus back to the bell).
  useEffect(() => heading.current?.focus(), []);

  return (
    <div
      id={id}
      role="dialog"
      aria-labelledby={titleId}
      className="fixed inset-x-2 top-16 z-40 flex max-h-[calc(100dvh-5rem)] flex-col overflow-hidden rounded-xl bg-white shadow-xl ring-1 ring-slate-200 sm:absolute sm:inset-x-auto sm:right-0 sm:top-full sm:mt-2 sm:max-h-[32rem] sm:w-96 dark:bg-slate-900 dark:ring-slate-800"
    >
      <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <h2 id={titleId} ref={heading} tabIndex={-1} className="flex-1 text-sm font-semibold outline-none">
          {t("notifications.title")}
        </h2>
        <Button variant="ghost" size="sm" disabled={unread === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
          {t("notifications.markAllRead")}
        </Button>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto overscroll-contain">
        {list.isPending ? (
          <div role="status" aria-label={t("common.loading")} className="space-y-3 p-4">
            {Array.from({ length: 3 }, (_, i) => (
              <Skeleton key={i} className="h-12" />
            ))}
          </div>
        ) : list.isError ? (
          <div role="alert" className="space-y-3 p-6 text-center text-sm text-red-700 dark:text-red-300">
            <p>{t("notifications.error")}</p>
            <Button variant="secondary" size="sm" onClick={() => void list.refetch()}>
              {t("common.retry")}
            </Button>
          </div>
        ) : rows.length === 0 ? (
          <div className="flex flex-col items-center px-6 py-10 text-center" data-testid="notifications-empty">
            <BellOff className="size-8 text-slate-300 dark:text-slate-600" aria-hidden />
            <p className="mt-3 text-sm font-medium">{t("notifications.empty")}</p>
            <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{t("notifications.emptyText")}</p>
          </div>
        ) : (
          <ul aria-labelledby={titleId} className="divide-y divide-slate-100 dark:divide-slate-800">
            {rows.map((notification) => (
              <NotificationRow key={notification.id} notification={notification} onClose={onClose} />
            ))}
          </ul>
        )}
        {list.hasNextPage && (
          <div className="border-t border-slate-100 p-2 text-center dark:border-slate-800">
            <Button variant="ghost" size="sm" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {t("notifications.showMore")}
            </Button>
          </div>
        )}
      </div>
    </div>
  );
}

/** One notification: a click marks it read and, when it leads somewhere, goes there. */
function NotificationRow({ notification, onClose }: { notification: Notification; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const markRead = useMarkRead();
  const link = notificationLink(notification);
  const unread = !notification.read_at;
  const when = new Date(notification.created_at);
  return (
    <li data-testid="notification" data-unread={unread || undefined}>
      <button
        type="button"
        onClick={() => {
          if (unread) markRead.mutate(notification.id);
          if (link) {
            onClose();
            void navigate(link);
          }
        }}
        className={cn(
          "flex w-full gap-3 px-4 py-3 text-left hover:bg-slate-50 focus-visible:bg-slate-50 focus-visible:outline-none dark:hover:bg-slate-800/60 dark:focus-visible:bg-slate-800/60",
          unread && "bg-indigo-50/50 dark:bg-indigo-950/20",
        )}
      >
        <span className="mt-1.5 flex size-2 shrink-0">
          {unread && <span className="size-2 rounded-full bg-indigo-600 dark:bg-indigo-400" title={t("notifications.unread")} />}
        </span>
        <span className="min-w-0 flex-1">
          {unread && <span className="sr-only">{t("notifications.unread")}: </span>}
          <span className={cn("block text-sm break-words", unread ? "font-semibold" : "text-slate-700 dark:text-slate-300")}>{notification.title}</span>
          {notification.body && <span className="mt-0.5 line-clamp-2 text-sm break-words text-slate-500 dark:text-slate-400">{notification.body}</span>}
          <time dateTime={notification.created_at} title={when.toLocaleString(i18n.language)} className="mt-1 block text-xs text-slate-400 dark:text-slate-500">
            {timeAgo(notification.created_at, i18n.language) ?? t("notifications.justNow")}
          </time>
        </span>
      </button>
    </li>
  );
}
