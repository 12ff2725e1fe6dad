import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { loadMoreProps } from "../../api/paging";
import { Badge } from "../../components/ui/Badge";
import { cn } from "../../components/ui/cn";
import { inputClass } from "../../components/ui/fields";
import { LoadMore } from "../../components/ui/LoadMore";
import { ErrorState, Skeleton } from "../../components/ui/states";
import { useAgentOptions } from "../agents/api";
import { CHANNELS } from "../agents/channels";
import { useConversations, useConversationSummary, type InboxFilters } from "./api";
import { conversationTitle, shownStatus, STATUS_TONES } from "./status";

/** The conversations with their filters and unread counts, newest activity first. */
export function Inbox({ selected }: { selected: number | null }) {
  const { t, i18n } = useTranslation();
  const agents = useAgentOptions();
  const [search] = useSearchParams();
  // A link may open the inbox filtered (the dashboard's "waiting for approval" → ?needs_approval=true).
  const [filters, setFilters] = useState<InboxFilters>(() => ({
    status: search.get("status") ?? "",
    channel: search.get("channel") ?? "",
    agent: search.get("agent") ?? "",
    needs_approval: search.get("needs_approval") ?? "",
    has_failed: search.get("has_failed") ?? "",
    search: "",
  }));
  const set = (k: keyof InboxFilters, v: string) => setFilters((f) => ({ ...f, [k]: v }));
  const list = useConversations(filters);
  const unread = useConversationSummary().data?.unread ?? 0;
  return (
    <div className="rounded-xl bg-white shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <div className="space-y-2 border-b border-slate-200 p-3 dark:border-slate-800">
        <div className="flex items-center justify-between text-sm">
          <span className="font-semibold">{t("conversations.inbox")}</span>
          <Badge tone={unread ? "indigo" : "gray"}>
            <span data-testid="unread-total">{t("conversations.unread", { count: unread })}</span>
          </Badge>
        </div>
        <input type="search" aria-label={t("common.search")} placeholder={t("conversations.searchPlaceholder")} className={inputClass} value={filters.search} onChange={(e) => set("search", e.target.value)} />
        <div className="grid grid-cols-2 gap-2">
          <select aria-label={t("conversations.status")} className={inputClass} value={filters.status} onChange={(e) => set("status", e.target.value)}>
            <option value="">{t("conversations.anyStatus")}</option>
            {["open", "waiting_approval", "human", "closed"].map((s) => (
              <option key={s} value={s}>
                {t(`conversations.statuses.${s}`)}
              </option>
            ))}
          </select>
          <select aria-label={t("conversations.channel")} className={inputClass} value={filters.channel} onChange={(e) => set("channel", e.target.value)}>
            <option value="">{t("agents.allChannels")}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channels.${c}`)}
              </option>
            ))}
          </select>
          <select aria-label={t("conversations.agent")} className={inputClass} value={filters.agent} onChange={(e) => set("agent", e.target.value)}>
            <option value="">{t("conversations.anyAgent")}</option>
            {(agents.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={filters.needs_approval === "true"} onChange={(e) => set("needs_approval", e.target.checked ? "true" : "")} />
            {t("conversations.needsApproval")}
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={filters.has_failed === "true"} onChange={(e) => set("has_failed", e.target.checked ? "true" : "")} />
            {t("conversations.hasFailed")}
          </label>
        </div>
      </div>
      {list.isPending ? (
        <div className="space-y-2 p-3">
          <Skeleton className="h-14" />
          <Skeleton className="h-14" />
        </div>
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <p className="p-6 text-center text-sm text-slate-400">{t("conversations.empty")}</p>
      ) : (
        <div className="max-h-[65dvh] overflow-y-auto">
          <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label={t("conversations.list")}>
            {list.data.items.map((c) => (
              <li key={c.id}>
                <Link
                  to={`/conversations/${c.id}`}
                  data-testid={`conversation-${c.id}`}
                  className={cn("block p-3 hover:bg-slate-50 dark:hover:bg-slate-800/50", selected === c.id && "bg-indigo-50 dark:bg-indigo-950/50")}
                >
                  <div className="flex items-center gap-2">
                    <span className={cn("min-w-0 flex-1 truncate text-sm", c.unread_count ? "font-semibold" : "font-medium")}>{conversationTitle(c, t, i18n.language)}</span>
                    {(c.unread_count ?? 0) > 0 && (
                      <span className="rounded-full bg-indigo-600 px-1.5 text-xs font-semibold text-white" aria-label={t("conversations.unread", { count: c.unread_count })}>
                        {c.unread_count}
                      </span>
                    )}
                  </div>
                  <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-slate-500 dark:text-slate-400">
                    <Badge tone={STATUS_TONES[shownStatus(c)]}>{t(`conversations.statuses.${shownStatus(c)}`)}</Badge>
                    <span>{t(`channels.${c.channel}`)}</span>
                    {c.agent_name && <span>· {c.agent_name}</span>}
                    {c.last_message_at && <span className="ml-auto">{new Date(c.last_message_at).toLocaleString(i18n.language, { dateStyle: "short", timeStyle: "short" })}</span>}
                  </div>
                </Link>
              </li>
            ))}
          </ul>
          <LoadMore className="border-t border-slate-100 p-3 dark:border-slate-800" {...loadMoreProps(list)} />
        </div>
      )}
    </div>
  );
}
