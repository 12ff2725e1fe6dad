import { Check, Pencil, X } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ConversationDetail, Message } from "../../api/types";
import { Button } from "../../components/ui/Button";
import { cn } from "../../components/ui/cn";
import { TextAreaField } from "../../components/ui/fields";
import { Modal } from "../../components/ui/Modal";
import { useToast } from "../../components/ui/toast";
import { MessageBubble } from "../chat/MessageBubble";
import { ModelNote } from "../chat/ModelNote";
import { TracePanel } from "../chat/Trace";
import { useApproveMessage, useRejectMessage, useRetryMessage } from "./api";

/** A message of the thread: its trace on demand, the review of a held reply, the retry of a failed one. */
export function ThreadMessage({ conversation, message }: { conversation: ConversationDetail; message: Message }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [showTrace, setShowTrace] = useState(false);
  const [editing, setEditing] = useState(false);
  const approve = useApproveMessage(conversation.id, message.id);
  const reject = useRejectMessage(conversation.id, message.id);
  const retry = useRetryMessage(conversation.id, message.id);
  const held = message.status === "pending_approval";
  return (
    <li data-message-id={message.id} className={cn(message.author === "ai" && showTrace && "grid grid-cols-1 gap-2 xl:grid-cols-[minmax(0,1fr)_22rem]")}>
      <MessageBubble message={message}>
        <ModelNote message={message} />
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
