import { ArrowLeft, Check, ChevronUp, Hand, MessagesSquare, Pencil, Play, Send, X, XCircle } from "lucide-react";
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import type { ConversationDetail, Message } from "../../api/types";
import { Button } from "../../components/ui/Button";
import { cn } from "../../components/ui/cn";
import { Badge, type Tone } from "../../components/ui/Badge";
import { inputClass, TextAreaField } from "../../components/ui/fields";
import { loadMoreProps } from "../../api/paging";
import { LoadMore } from "../../components/ui/LoadMore";
import { Modal } from "../../components/ui/Modal";
import { useConfirm } from "../../components/ui/confirm";
import { EmptyState, ErrorState, PageHeader, PageSkeleton, Skeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { useAgentOptions } from "../agents/api";
import { CHANNELS } from "../agents/channels";
import { MessageBubble } from "../chat/MessageBubble";
import { TracePanel } from "../chat/Trace";
import { threadMessages, useConversation, useConversationSummary, useConversationMutation, useConversations, useOlderMessages, useTyping, type InboxFilters } from "./api";

const STATUS_TONES: Record<string, Tone> = { open: "green", waiting_approval: "amber", human: "indigo", closed: "gray" };

/** The inbox: conversations on the left (live: any conversation event refetches), the thread on the right. */
export function ConversationsPage() {
  const { t } = useTranslation();
  const params = useParams();
  const selected = params["*"] ? Number(params["*"]) : null;
  return (
    <>
      <PageHeader title={t("conversations.title")} description={t("conversations.description")} />
      <div className="grid gap-4 lg:grid-cols-[22rem_1fr]">
        <div className={cn(selected !== null && "hidden lg:block")}>
          <Inbox selected={selected} />
        </div>
        <div className={cn("min-w-0", selected === null && "hidden lg:block")}>
          {selected === null ? <EmptyState icon={MessagesSquare} title={t("conversations.pick")} description={t("conversations.pickText")} /> : <Thread id={selected} key={selected} />}
        </div>
      </div>
    </>
  );
}

function Inbox({ selected }: { selected: number | null }) {
  const { t, i18n } = useTranslation();
  const agents = useAgentOptions();
  const [filters, setFilters] = useState<InboxFilters>({ status: "", channel: "", agent: "", needs_approval: "", search: "" });
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
                    <span className={cn("min-w-0 flex-1 truncate text-sm", c.unread_count ? "font-semibold" : "font-medium")}>{c.customer_name || c.customer_handle || c.external_chat_id}</span>
                    {(c.unread_count ?? 0) > 0 && (
                      <span className="rounded-full bg-indigo-600 px-1.5 text-xs font-semibold text-white" aria-label={t("conversations.unread", { count: c.unread_count })}>
                        {c.unread_count}
                      </span>
                    )}
                  </div>
                  <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-slate-500 dark:text-slate-400">
                    <Badge tone={STATUS_TONES[c.status ?? "open"]}>{t(`conversations.statuses.${c.status ?? "open"}`)}</Badge>
                    {c.needs_approval && <Badge tone="amber">{t("conversations.needsApproval")}</Badge>}
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

function Thread({ id }: { id: number }) {
  const { t } = useTranslation();
  const toast = useToast();
  const confirm = useConfirm();
  const navigate = useNavigate();
  const conversation = useConversation(id);
  const older = useOlderMessages(id);
  const typing = useTyping(id);
  const list = useRef<HTMLOListElement>(null);
  const end = useRef<HTMLLIElement>(null);
  /** The top message before older ones are put above it, and its distance from the list's top. */
  const anchor = useRef<{ id: number; top: number } | null>(null);
  const read = useConversationMutation(() => api.post(`/api/conversations/${id}/read`, {}));
  const resume = useConversationMutation(() => api.post(`/api/conversations/${id}/resume-ai`, {}));
  const handoff = useConversationMutation(() => api.post(`/api/conversations/${id}/handoff`, {}));
  const close = useConversationMutation(() => api.post(`/api/conversations/${id}/close`, {}));
  const unread = conversation.data?.unread_count ?? 0;
  const messages = threadMessages(conversation.data?.messages ?? [], older.data?.pages);
  const newest = messages.at(-1)?.id;
  useEffect(() => {
    if (unread > 0) read.mutate(undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [unread, id]);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "end" });
  }, [newest]);
  // Older messages went in above: scroll so the message that was on top stays where it was.
  useLayoutEffect(() => {
    const saved = anchor.current;
    const box = list.current;
    if (!saved || !box || older.isFetching) return;
    anchor.current = null;
    const item = box.querySelector(`[data-message-id="${saved.id}"]`);
    if (item) box.scrollTop += item.getBoundingClientRect().top - box.getBoundingClientRect().top - saved.top;
  }, [older.data, older.isFetching]);

  function showOlder() {
    const box = list.current;
    const top = messages[0];
    const item = top && box?.querySelector(`[data-message-id="${top.id}"]`);
    if (box && item) anchor.current = { id: top.id, top: item.getBoundingClientRect().top - box.getBoundingClientRect().top };
    void older.fetchNextPage().then((result) => {
      if (result.isError) toast.error(result.error);
    });
  }

  if (conversation.isPending) return <PageSkeleton rows={3} />;
  if (conversation.isError) return <ErrorState error={conversation.error} onRetry={() => void conversation.refetch()} />;
  const c = conversation.data;
  const closed = c.status === "closed";
  // The conversation carries its latest messages and says whether older ones exist.
  const olderLeft = older.data ? older.hasNextPage : c.has_older_messages;
  return (
    <div className="flex flex-col rounded-xl bg-white shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 p-3 dark:border-slate-800">
        <Button variant="ghost" size="sm" className="lg:hidden" aria-label={t("conversations.back")} onClick={() => void navigate("/conversations")}>
          <ArrowLeft className="size-4" aria-hidden />
        </Button>
        <div className="min-w-0 flex-1 basis-40">
          <h2 className="truncate font-semibold">{c.customer_name || c.customer_handle || c.external_chat_id}</h2>
          <p className="text-xs text-slate-500 dark:text-slate-400">
            {t(`channels.${c.channel}`)} {c.agent_name && `· ${c.agent_name}`}
          </p>
        </div>
        <Badge tone={STATUS_TONES[c.status ?? "open"]}>
          <span data-testid="conversation-status">{t(`conversations.statuses.${c.status ?? "open"}`)}</span>
        </Badge>
        {!closed && c.status !== "human" && (
          <Button variant="secondary" size="sm" onClick={() => handoff.mutate(undefined, { onError: toast.error })}>
            <Hand className="size-4" aria-hidden />
            {t("conversations.takeOver")}
          </Button>
        )}
        {!closed && (c.status === "human" || c.ai_paused_until) && (
          <Button variant="secondary" size="sm" onClick={() => resume.mutate(undefined, { onSuccess: () => toast.success(t("conversations.resumed")), onError: toast.error })}>
            <Play className="size-4" aria-hidden />
            {t("conversations.giveBack")}
          </Button>
        )}
        {!closed && (
          <Button
            variant="ghost"
            size="sm"
            onClick={async () => {
              if (await confirm({ title: t("conversations.closeTitle"), confirmLabel: t("conversations.close") })) close.mutate(undefined, { onError: toast.error });
            }}
          >
            <XCircle className="size-4" aria-hidden />
            {t("conversations.close")}
          </Button>
        )}
      </div>
      <ol ref={list} className="max-h-[60dvh] min-h-64 flex-1 space-y-4 overflow-y-auto p-4" aria-label={t("conversations.thread")}>
        {olderLeft ? (
          <li className="flex justify-center">
            <Button variant="secondary" size="sm" loading={older.isFetching} onClick={showOlder}>
              <ChevronUp className="size-4" aria-hidden />
              {t("conversations.showOlder")}
            </Button>
          </li>
        ) : (
          older.data && <li className="text-center text-xs text-slate-400 dark:text-slate-500">{t("conversations.threadStart")}</li>
        )}
        {messages.map((m) => (
          <ThreadMessage key={m.id} conversation={c} message={m} />
        ))}
        {typing && <li className="text-sm text-slate-400">{t("chat.thinking")}</li>}
        <li ref={end} aria-hidden />
      </ol>
      {!closed && <Composer conversation={c} />}
    </div>
  );
}

function ThreadMessage({ conversation, message }: { conversation: ConversationDetail; message: Message }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [showTrace, setShowTrace] = useState(false);
  const [editing, setEditing] = useState(false);
  const base = `/api/conversations/${conversation.id}/messages/${message.id}`;
  const approve = useConversationMutation((text?: string) => api.post(`${base}/approve`, text === undefined ? {} : { text }));
  const reject = useConversationMutation(() => api.post(`${base}/reject`, {}));
  const retry = useConversationMutation(() => api.post(`${base}/retry`, {}));
  const held = message.status === "pending_approval";
  return (
    <li data-message-id={message.id} className={cn(message.author === "ai" && showTrace && "grid grid-cols-1 gap-2 xl:grid-cols-[minmax(0,1fr)_22rem]")}>
      <MessageBubble message={message}>
        {message.author === "ai" && (message.trace?.length ?? 0) > 0 && (
          <button type="button" className="text-xs text-indigo-600 hover:underline dark:text-indigo-400" aria-expanded={showTrace} onClick={() => setShowTrace((s) => !s)}>
            {showTrace ? t("trace.hide") : t("trace.show")}
          </button>
        )}
        {held && (
          <div className="flex flex-wrap gap-1.5" role="group" aria-label={t("conversations.review")}>
            <Button size="sm" loading={approve.isPending} onClick={() => approve.mutate(undefined, { onSuccess: () => toast.success(t("conversations.approved")), onError: toast.error })}>
              <Check className="size-4" aria-hidden />
              {t("conversations.approve")}
            </Button>
            <Button size="sm" variant="secondary" onClick={() => setEditing(true)}>
              <Pencil className="size-4" aria-hidden />
              {t("conversations.editApprove")}
            </Button>
            <Button size="sm" variant="danger" loading={reject.isPending} onClick={() => reject.mutate(undefined, { onError: toast.error })}>
              <X className="size-4" aria-hidden />
              {t("conversations.reject")}
            </Button>
          </div>
        )}
        {message.status === "failed" && message.direction === "out" && (
          <Button size="sm" variant="secondary" onClick={() => retry.mutate(undefined, { onError: toast.error })}>
            {t("conversations.retry")}
          </Button>
        )}
      </MessageBubble>
      {showTrace && <TracePanel message={message} />}
      {editing && <EditApproveModal message={message} onClose={() => setEditing(false)} onApprove={(text) => approve.mutate(text, { onSuccess: () => setEditing(false), onError: toast.error })} pending={approve.isPending} />}
    </li>
  );
}

function EditApproveModal({ message, onClose, onApprove, pending }: { message: Message; onClose: () => void; onApprove: (text: string) => void; pending: boolean }) {
  const { t } = useTranslation();
  const [text, setText] = useState(message.text ?? "");
  const [error, setError] = useState<string | undefined>();
  return (
    <Modal
      open
      onClose={onClose}
      title={t("conversations.editApprove")}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button
            loading={pending}
            onClick={() => {
              if (!text.trim()) return setError(t("validation.required"));
              if (text.length > 10000) return setError(t("validation.maxLength", { max: 10000 }));
              onApprove(text.trim());
            }}
          >
            {t("conversations.approve")}
          </Button>
        </>
      }
    >
      <TextAreaField label={t("conversations.replyText")} rows={6} value={text} onChange={(e) => setText(e.target.value)} error={error} />
    </Modal>
  );
}

function Composer({ conversation }: { conversation: ConversationDetail }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [text, setText] = useState("");
  const send = useConversationMutation((body: string) => api.post(`/api/conversations/${conversation.id}/messages`, { text: body }));
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) return;
    send.mutate(text.trim(), { onSuccess: () => setText(""), onError: toast.error });
  }
  return (
    <form onSubmit={onSubmit} className="border-t border-slate-200 p-3 dark:border-slate-800">
      <p className="mb-1 text-xs text-slate-500 dark:text-slate-400">{t("conversations.composerHint")}</p>
      <div className="flex gap-2">
        <label className="flex-1">
          <span className="sr-only">{t("conversations.humanReply")}</span>
          <input className={inputClass} placeholder={t("conversations.humanReply")} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <Button type="submit" loading={send.isPending} aria-label={t("conversations.send")}>
          <Send className="size-4" aria-hidden />
        </Button>
      </div>
    </form>
  );
}
