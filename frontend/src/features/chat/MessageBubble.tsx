import { Bot, Loader2, User, UserCog } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Message } from "../../api/types";
import { cn } from "../../components/ui/cn";
import { Badge, type Tone } from "../../components/ui/Badge";

const STATUS_TONES: Record<string, Tone> = { pending_approval: "amber", rejected: "red", failed: "red", sent: "green", answered: "green" };

/** When the message was written (the source's time: the thread is ordered by it), not when it was stored. */
function written(message: Message): string {
  return message.source_timestamp;
}

/** The time alone for today's messages; the date too for older ones (a thread spans days). */
export function messageTime(iso: string, language: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const sameDay = at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && at.getDate() === now.getDate();
  return sameDay
    ? at.toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit" })
    : at.toLocaleString(language, { dateStyle: "short", timeStyle: "short" });
}

/** One message: customer on the left; AI (indigo) and teammates' replies (green, signed with the name) on the right, with the reply's status. */
export function MessageBubble({ message, children }: { message: Message; children?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const mine = message.direction === "out";
  const Icon = message.author === "ai" ? Bot : message.author === "human" ? UserCog : User;
  const processing = message.author === "ai" && (message.status === "processing" || message.status === "received") && !message.text;
  return (
    <div className={cn("flex gap-2", mine ? "flex-row-reverse" : "flex-row")} data-author={message.author} data-status={message.status} data-testid="message">
      <span
        className={cn(
          "mt-1 flex size-7 shrink-0 items-center justify-center rounded-full",
          message.author === "ai" ? "bg-indigo-100 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300" : message.author === "human" ? "bg-emerald-100 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300" : "bg-slate-200 text-slate-600 dark:bg-slate-800 dark:text-slate-300",
        )}
        title={t(`chat.authors.${message.author}`)}
      >
        <Icon className="size-4" aria-hidden />
      </span>
      <div className={cn("flex max-w-[85%] min-w-0 flex-col gap-1 sm:max-w-[75%]", mine ? "items-end" : "items-start")}>
        <div
          className={cn(
            "rounded-2xl px-3.5 py-2 text-sm break-words whitespace-pre-wrap",
            message.status === "pending_approval"
              ? "bg-amber-50 text-slate-900 ring-1 ring-amber-300 dark:bg-amber-950 dark:text-amber-50 dark:ring-amber-800"
              : message.author === "human"
                ? "bg-emerald-600 text-white dark:bg-emerald-700"
                : mine
                  ? "bg-indigo-600 text-white dark:bg-indigo-500"
                  : "bg-white text-slate-900 ring-1 ring-slate-200 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-700",
            message.status === "rejected" && "line-through opacity-60",
          )}
        >
          {processing ? (
            <span className="inline-flex items-center gap-2">
              <Loader2 className="size-4 animate-spin" aria-hidden />
              {t("chat.thinking")}
            </span>
          ) : (
            message.text
          )}
        </div>
        <div className="flex flex-wrap items-center gap-1.5 text-xs text-slate-500 dark:text-slate-400">
          <span className={cn(message.author === "human" && "font-medium text-slate-700 dark:text-slate-200")}>{message.author === "human" && message.author_name ? message.author_name : t(`chat.authors.${message.author}`)}</span>
          <time dateTime={written(message)} title={new Date(written(message)).toLocaleString(i18n.language, { dateStyle: "full", timeStyle: "short" })}>
            · {messageTime(written(message), i18n.language)}
          </time>
          {mine && message.status && <Badge tone={STATUS_TONES[message.status] ?? "gray"}>{t(`chat.status.${message.status}`)}</Badge>}
        </div>
        {message.status_reason && message.status !== "sent" && <p className="text-xs text-slate-500">{message.status_reason}</p>}
        {children}
      </div>
    </div>
  );
}
