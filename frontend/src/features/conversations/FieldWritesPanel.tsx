import { ArrowRight, Undo2 } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Badge, type Tone } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { useConfirm } from "../../components/ui/confirm";
import { useToast } from "../../components/ui/toast";
import { useFieldWrites, useUndoFieldWrite, type FieldWrite } from "./fieldWrites";

const STATUS_TONES: Record<FieldWrite["status"], Tone> = { written: "green", skipped: "gray", failed: "red", undone: "amber" };

/** What the update rules wrote to the lead and contact in this conversation: each field with its old and
 * new value, how sure the model was, the customer's words, and an undo. Hidden until there is one. */
export function FieldWritesPanel({ conversationId }: { conversationId: number }) {
  const { t } = useTranslation();
  const writes = useFieldWrites(conversationId);
  const rows = writes.data ?? [];
  if (!rows.length) return null;
  return (
    <details open className="border-b border-slate-200 px-4 py-2 text-sm dark:border-slate-800" data-testid="field-writes">
      <summary className="cursor-pointer text-xs font-semibold text-slate-600 dark:text-slate-300">
        {t("fieldWrites.title")} <span className="font-normal text-slate-400">({rows.length})</span>
      </summary>
      <ol className="mt-2 max-h-64 space-y-2 overflow-y-auto" aria-label={t("fieldWrites.title")}>
        {rows.map((write) => (
          <FieldWriteRow key={write.id} conversationId={conversationId} write={write} />
        ))}
      </ol>
    </details>
  );
}

function FieldWriteRow({ conversationId, write }: { conversationId: number; write: FieldWrite }) {
  const { t, i18n } = useTranslation();
  const confirm = useConfirm();
  const toast = useToast();
  const undo = useUndoFieldWrite(conversationId);
  const empty = <span className="text-slate-400 italic">{t("fieldWrites.empty")}</span>;
  const shownNew = write.new_text || (write.extracted != null ? String(write.extracted) : "");

  async function onUndo() {
    const ok = await confirm({
      title: t("fieldWrites.undoTitle", { field: write.field_name }),
      message: t("fieldWrites.undoText", { value: write.old_text || t("fieldWrites.empty") }),
      confirmLabel: t("fieldWrites.undo"),
      danger: true,
    });
    if (ok) undo.mutate(write.id, { onSuccess: () => toast.success(t("fieldWrites.undone")), onError: toast.error });
  }

  return (
    <li className="rounded-lg p-2 ring-1 ring-slate-200 dark:ring-slate-800" data-testid="field-write" data-status={write.status}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{write.field_name || write.field_code}</span>
        <span className="text-xs text-slate-500">{t(`fieldWrites.entities.${write.entity}`, { defaultValue: write.entity })}</span>
        <Badge tone={STATUS_TONES[write.status]}>{t(`fieldWrites.statuses.${write.status}`)}</Badge>
        {write.confidence != null && (
          <span className="text-xs text-slate-500" title={t("fieldWrites.confidence")}>
            {t("fieldWrites.confidenceValue", { value: Math.round(write.confidence * 100) })}
          </span>
        )}
        <span className="ml-auto text-xs text-slate-400">{new Date(write.created_at).toLocaleString(i18n.language)}</span>
      </div>
      <p className="mt-1 flex flex-wrap items-center gap-1.5 break-words" data-testid="field-write-change">
        <span>{write.old_text || empty}</span>
        <ArrowRight className="size-3.5 text-slate-400" aria-label={t("fieldWrites.to")} />
        <span className="font-medium">{shownNew || empty}</span>
      </p>
      {write.quote && <blockquote className="mt-1 border-l-2 border-slate-300 pl-2 text-xs text-slate-500 italic dark:border-slate-700">“{write.quote}”</blockquote>}
      {write.error && (
        <p className={write.status === "failed" ? "mt-1 text-xs text-red-600 dark:text-red-400" : "mt-1 text-xs text-slate-500"} data-testid="field-write-error">
          {write.status === "failed" ? t("fieldWrites.crmError", { error: write.error }) : t("fieldWrites.why", { why: write.error })}
        </p>
      )}
      {write.status === "undone" && write.undone_by && <p className="mt-1 text-xs text-slate-500">{t("fieldWrites.undoneBy", { name: write.undone_by })}</p>}
      {write.can_undo && (
        <Button variant="secondary" size="sm" className="mt-2" loading={undo.isPending} onClick={() => void onUndo()}>
          <Undo2 className="size-4" aria-hidden />
          {t("fieldWrites.undo")}
        </Button>
      )}
    </li>
  );
}
