import { Send } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ConversationDetail } from "../../api/types";
import { Button } from "../../components/ui/Button";
import { inputClass } from "../../components/ui/fields";
import { useToast } from "../../components/ui/toast";
import { useSendReply } from "./api";

/** A human's reply box. */
export function Composer({ conversation }: { conversation: ConversationDetail }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [text, setText] = useState("");
  const send = useSendReply(conversation.id);
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
