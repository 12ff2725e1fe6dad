import { ArrowLeft, ChevronUp, Hand, Play, XCircle } from "lucide-react";
import { useEffect, useLayoutEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { useConfirm } from "../../components/ui/confirm";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { threadMessages, useCloseConversation, useConversation, useHandOff, useMarkRead, useOlderMessages, useResumeAi, useTyping } from "./api";
import { Composer } from "./Composer";
import { ConversationChains } from "../chains/ConversationChains";
import { CrmPanel } from "./CrmPanel";
import { FieldWritesPanel } from "./FieldWritesPanel";
import { conversationTitle, shownStatus, STATUS_TONES } from "./status";
import { ThreadMessage } from "./ThreadMessage";

/** One conversation: its actions (take over, give back, close), its messages (older ones on demand) and the reply box. */
export function Thread({ id }: { id: number }) {
  const { t, i18n } = useTranslation();
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
  const read = useMarkRead(id);
  const resume = useResumeAi(id);
  const handoff = useHandOff(id);
  const close = useCloseConversation(id);
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
          <h2 className="truncate font-semibold">{conversationTitle(c, t, i18n.language)}</h2>
          <p className="text-xs text-slate-500 dark:text-slate-400">
            {t(`channels.${c.channel}`)} {c.agent_name && `· ${c.agent_name}`}
          </p>
        </div>
        <Badge tone={STATUS_TONES[shownStatus(c)]}>
          <span data-testid="conversation-status">{t(`conversations.statuses.${shownStatus(c)}`)}</span>
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
      {c.crm && <CrmPanel crm={c.crm} />}
      <FieldWritesPanel conversationId={c.id} />
      {c.channel !== "playground" && <ConversationChains conversationId={c.id} />}
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
