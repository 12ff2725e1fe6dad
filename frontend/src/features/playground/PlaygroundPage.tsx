import { FlaskConical, RotateCcw, Send } from "lucide-react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { useWsKey } from "../../api/hooks";
import type { Message, PlaygroundSwitches } from "../../api/types";
import { Button } from "../../components/ui/Button";
import { FormAlert, inputClass } from "../../components/ui/fields";
import { PageHeader } from "../../components/ui/PageHeader";
import { useFillHeight } from "../../components/ui/useFillHeight";
import { EmptyState, ErrorState, PageSkeleton } from "../../components/ui/states";
import { errorMessage } from "../../api/problem";
import { useAgentOptions } from "../agents/api";
import { ModelStatusBanner } from "../agents/ModelStatusBanner";
import { MessageBubble } from "../chat/MessageBubble";
import { ModelNote } from "../chat/ModelNote";
import { TracePanel } from "../chat/Trace";
import { useConversation, useTyping } from "../conversations/api";
import { usePlaygroundChat } from "./api";
import { TEST_DEFAULTS, TestSwitches } from "./TestSwitches";

/** Chat with any agent; each AI reply shows its trace and citations beside it. A reply that is delayed
 * (202) or held for approval arrives later over the websocket: the conversation is subscribed to. */
export function PlaygroundPage() {
  const { t } = useTranslation();
  const agents = useAgentOptions();
  const [agentId, setAgentId] = useState<number | null>(null);
  const [conversationId, setConversationId] = useState<number | null>(null);
  const [restarts, setRestarts] = useState(0);
  const [switches, setSwitches] = useState<PlaygroundSwitches>(TEST_DEFAULTS);
  const restart = () => {
    setConversationId(null);
    setRestarts((n) => n + 1);
  };
  const chosen = agentId ?? agents.data?.[0]?.id ?? null;

  if (agents.isPending) return <PageSkeleton />;
  if (agents.isError) return <ErrorState error={agents.error} onRetry={() => void agents.refetch()} />;
  return (
    <>
      <PageHeader
        title={t("playground.title")}
        description={t("playground.description")}
        actions={
          agents.data.length > 0 && (
            <div className="flex gap-2">
              <select
                aria-label={t("playground.agent")}
                className={`${inputClass} max-w-56`}
                value={chosen ?? ""}
                onChange={(e) => {
                  setAgentId(Number(e.target.value));
                  restart();
                }}
              >
                {agents.data.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
              <Button variant="secondary" onClick={restart} aria-label={t("playground.restart")}>
                <RotateCcw className="size-4" aria-hidden />
              </Button>
            </div>
          )
        }
      />
      {chosen === null ? (
        <EmptyState icon={FlaskConical} title={t("playground.noAgents")} description={t("playground.noAgentsText")} />
      ) : (
        <>
          <ModelStatusBanner status={agents.data.find((a) => a.id === chosen)?.model_status} className="mb-3" />
          <TestSwitches value={switches} onChange={setSwitches} />
          <Chat key={`${chosen}-${restarts}`} agentId={chosen} conversationId={conversationId} onConversation={setConversationId} switches={switches} />
        </>
      )}
    </>
  );
}

function Chat({
  agentId,
  conversationId,
  onConversation,
  switches,
}: {
  agentId: number;
  conversationId: number | null;
  onConversation: (id: number) => void;
  switches: PlaygroundSwitches;
}) {
  const { t } = useTranslation();
  const key = useWsKey();
  const queryClient = useQueryClient();
  const conversation = useConversation(conversationId);
  const typing = useTyping(conversationId);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<Message[]>([]);
  const end = useRef<HTMLLIElement>(null);
  const box = useFillHeight<HTMLDivElement>();
  const send = usePlaygroundChat(agentId);

  const messages = conversation.data?.messages ?? sent;
  const last = messages[messages.length - 1];
  const waiting = send.isPending || typing || (last?.author === "customer" && conversation.data?.status !== "human");
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "end" });
  }, [messages.length, waiting]);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const value = text.trim();
    if (!value) return;
    setError(null);
    send.mutate(
      { text: value, ...switches, ...(conversationId ? { conversation_id: conversationId } : {}) },
      {
        onSuccess: (result) => {
          setText("");
          setSent([result.message, ...(result.reply ? [result.reply] : [])]);
          onConversation(result.conversation.id);
          void queryClient.invalidateQueries({ queryKey: key("conversation", result.conversation.id) });
        },
        onError: (err) => setError(errorMessage(err)),
      },
    );
  }

  return (
    <div ref={box} className="flex h-[calc(100dvh-13rem)] min-h-80 flex-col rounded-xl bg-white shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <ol className="flex-1 space-y-4 overflow-y-auto p-4" aria-label={t("playground.messages")} aria-live="polite">
        {messages.length === 0 && <li className="py-12 text-center text-sm text-slate-400">{t("playground.start")}</li>}
        {messages.map((m) => (
          <MessageRow key={m.id} message={m} />
        ))}
        {waiting && messages.length > 0 && !messages.some((m) => m.author === "ai" && m.status === "processing") && (
          <li className="text-sm text-slate-400" data-testid="waiting">
            {t("chat.thinking")}
          </li>
        )}
        <li ref={end} aria-hidden />
      </ol>
      <form onSubmit={onSubmit} className="border-t border-slate-200 p-3 dark:border-slate-800">
        <FormAlert>{error}</FormAlert>
        <div className="mt-1 flex gap-2">
          <label className="flex-1">
            <span className="sr-only">{t("playground.yourMessage")}</span>
            <input className={inputClass} placeholder={t("playground.placeholder")} value={text} onChange={(e) => setText(e.target.value)} />
          </label>
          <Button type="submit" loading={send.isPending} aria-label={t("playground.send")}>
            <Send className="size-4" aria-hidden />
          </Button>
        </div>
      </form>
    </div>
  );
}

function MessageRow({ message }: { message: Message }) {
  if (message.author !== "ai") {
    return (
      <li>
        <MessageBubble message={message} />
      </li>
    );
  }
  return (
    <li className="grid min-w-0 grid-cols-1 gap-2 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <MessageBubble message={message}>
        <ModelNote message={message} />
      </MessageBubble>
      <TracePanel message={message} />
    </li>
  );
}
