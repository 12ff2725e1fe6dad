import { Paperclip, Trash2, Upload } from "lucide-react";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Article } from "../../api/types";
import { Button } from "../../components/ui/Button";
import { FormAlert, SelectField, TextAreaField, TextField } from "../../components/ui/fields";
import { splitApiError, type FieldErrors } from "../../components/ui/formErrors";
import { Modal } from "../../components/ui/Modal";
import { useConfirm } from "../../components/ui/confirm";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { DirtyBar } from "../../components/unsaved/DirtyBar";
import { useUnsavedChanges } from "../../components/unsaved/UnsavedChanges";
import { useDraft } from "../../components/unsaved/useDraft";
import { useArticle, useDeleteArticle, useDeleteArticleFile, useSaveArticle, useUploadArticleFile } from "./api";
import { CategoryPicker } from "./CategoryPicker";
import { IndexBadge } from "./IndexBadge";

type ArticleField = "title" | "body" | "status" | "language" | "tags" | "categories";
const FIELDS: readonly ArticleField[] = ["title", "body", "status", "language", "tags", "categories"];

interface Draft {
  title: string;
  body: string;
  status: "draft" | "published" | "archived";
  language: string;
  tags: string;
  categories: number[];
}

/**
 * Create or edit an article; once saved, attach files and watch them (and the article) being indexed
 * live. Closing the dialog (or leaving the page) with changes not saved asks first.
 */
/** `prefill`: a new article's suggested title and body (from an unanswered question), edits to save or discard. */
export type ArticlePrefill = Pick<Draft, "title" | "body">;

export function ArticleEditor({
  id,
  defaultCategory,
  prefill,
  onClose,
  onCreated,
}: {
  id: number | null;
  defaultCategory: number | null;
  prefill?: ArticlePrefill;
  onClose: () => void;
  onCreated: (id: number) => void;
}) {
  const { t } = useTranslation();
  const article = useArticle(id);
  // The form's question before its edits are dropped (it holds them, so it knows whether to ask).
  const confirmDiscard = useRef<(() => Promise<boolean>) | null>(null);
  const guardClose = useCallback((confirm: (() => Promise<boolean>) | null) => {
    confirmDiscard.current = confirm;
  }, []);
  const asking = useRef(false);
  async function requestClose() {
    if (asking.current) return; // Escape pressed again while the question is open answers it, not this
    asking.current = true;
    const close = await (confirmDiscard.current?.() ?? true);
    asking.current = false;
    if (close) onClose();
  }
  return (
    <Modal open onClose={() => void requestClose()} size="lg" title={id === null ? t("knowledge.newArticle") : t("knowledge.editArticle")}>
      {id === null ? (
        <ArticleForm
          initial={{ title: "", body: "", status: "published", language: "", tags: "", categories: defaultCategory ? [defaultCategory] : [] }}
          id={null}
          prefill={prefill}
          onSaved={onCreated}
          onClose={() => void requestClose()}
          guardClose={guardClose}
        />
      ) : article.isPending ? (
        <PageSkeleton rows={3} />
      ) : article.isError ? (
        <ErrorState error={article.error} />
      ) : (
        <>
          <div className="mb-3 flex items-center gap-2 text-sm" data-testid="article-index">
            {t("knowledge.indexState")}: <IndexBadge index={article.data.index} />
            {article.data.index.error && <span className="text-red-600">{article.data.index.error}</span>}
          </div>
          <ArticleForm
            key={article.data.id}
            id={article.data.id}
            initial={{
              title: article.data.title,
              body: article.data.body ?? "",
              status: article.data.status ?? "draft",
              language: article.data.language ?? "",
              tags: (article.data.tags ?? []).join(", "),
              categories: article.data.categories,
            }}
            onSaved={() => undefined}
            onClose={() => void requestClose()}
            onDelete={onClose}
            guardClose={guardClose}
          />
          <Files article={article.data} />
        </>
      )}
    </Modal>
  );
}

function ArticleForm({
  id,
  initial,
  prefill,
  onSaved,
  onClose,
  onDelete,
  guardClose,
}: {
  id: number | null;
  initial: Draft;
  prefill?: ArticlePrefill;
  onSaved: (id: number) => void;
  onClose: () => void;
  onDelete?: () => void;
  guardClose: (confirmDiscard: (() => Promise<boolean>) | null) => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const confirm = useConfirm();
  const edit = useDraft(initial);
  const draft = edit.value;
  const [errors, setErrors] = useState<FieldErrors<ArticleField>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const save = useSaveArticle(id);
  const remove = useDeleteArticle(id);
  const set = (patch: Partial<Draft>) => {
    for (const [key, value] of Object.entries(patch)) edit.set(key as keyof Draft, value as never);
  };
  const confirmDiscard = useUnsavedChanges(edit.dirty);
  // A suggestion is the user's edit (savable, asked about before it is dropped), applied once.
  const setField = edit.set;
  const prefilled = useRef(false);
  useEffect(() => {
    if (!prefill || prefilled.current) return;
    prefilled.current = true;
    setField("title", prefill.title);
    setField("body", prefill.body);
  }, [prefill, setField]);
  useEffect(() => {
    guardClose(confirmDiscard);
    return () => guardClose(null);
  }, [guardClose, confirmDiscard]);
  async function discard() {
    if (!(await confirmDiscard())) return;
    edit.reset();
    setErrors({});
    setFormError(null);
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const local: FieldErrors<ArticleField> = {};
    if (!draft.title.trim()) local.title = t("validation.required");
    else if (draft.title.length > 300) local.title = t("validation.maxLength", { max: 300 });
    if (draft.tags.split(",").some((tag) => tag.trim().length > 50)) local.tags = t("validation.maxLength", { max: 50 });
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length) return;
    save.mutate({ ...draft, tags: draft.tags.split(",").map((s) => s.trim()).filter(Boolean) }, {
      // The article is refetched by now: what the form shows is what was saved.
      onSuccess: (article) => {
        edit.reset();
        toast.success(t("common.saved"));
        onSaved(article.id);
      },
      onError: (err) => {
        const split = splitApiError(err, FIELDS);
        setErrors(split.fieldErrors);
        setFormError(split.formError);
      },
    });
  }
  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-3">
      <div className="sm:col-span-3">
        <FormAlert>{formError}</FormAlert>
      </div>
      <TextField className="sm:col-span-3" label={t("knowledge.articleTitle")} value={draft.title} onChange={(e) => set({ title: e.target.value })} error={errors.title} />
      <TextAreaField className="sm:col-span-3" label={t("knowledge.body")} rows={8} value={draft.body} onChange={(e) => set({ body: e.target.value })} error={errors.body} />
      <SelectField label={t("knowledge.status")} value={draft.status} onChange={(e) => set({ status: e.target.value as Draft["status"] })} error={errors.status}>
        {(["draft", "published", "archived"] as const).map((s) => (
          <option key={s} value={s}>
            {t(`knowledge.statuses.${s}`)}
          </option>
        ))}
      </SelectField>
      <SelectField label={t("knowledge.language")} value={draft.language} onChange={(e) => set({ language: e.target.value })} error={errors.language}>
        <option value="">{t("languages.auto")}</option>
        {["en", "ru", "es", "pt"].map((l) => (
          <option key={l} value={l}>
            {t(`languages.${l}`)}
          </option>
        ))}
      </SelectField>
      <TextField label={t("knowledge.tags")} hint={t("agentEditor.commaSeparated")} value={draft.tags} onChange={(e) => set({ tags: e.target.value })} error={errors.tags} />
      <div className="sm:col-span-3">
        <p className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-300">{t("knowledge.categories")}</p>
        <CategoryPicker value={draft.categories} onChange={(categories) => set({ categories })} />
        {errors.categories && <p className="mt-1 text-sm text-red-600">{errors.categories}</p>}
      </div>
      <div className="flex justify-between gap-2 sm:col-span-3">
        {id !== null ? (
          <Button
            variant="ghost"
            onClick={async () => {
              if (await confirm({ title: t("knowledge.deleteArticle"), danger: true, confirmLabel: t("common.delete") }))
                remove.mutate(undefined, { onSuccess: onDelete, onError: toast.error });
            }}
          >
            <Trash2 className="size-4 text-red-600" aria-hidden />
            {t("common.delete")}
          </Button>
        ) : (
          <span />
        )}
        <DirtyBar inline dirty={edit.dirty} saving={save.isPending} onDiscard={() => void discard()}>
          <Button variant="secondary" onClick={onClose}>
            {t("common.close")}
          </Button>
        </DirtyBar>
      </div>
    </form>
  );
}

function Files({ article }: { article: Article }) {
  const { t } = useTranslation();
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const upload = useUploadArticleFile(article.id);
  const remove = useDeleteArticleFile();
  return (
    <section className="mt-6 border-t border-slate-200 pt-4 dark:border-slate-800">
      <div className="mb-2 flex items-center justify-between">
        <h3 className="text-sm font-semibold">{t("knowledge.files")}</h3>
        <input
          ref={input}
          type="file"
          className="hidden"
          aria-label={t("knowledge.uploadFile")}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) upload.mutate(file, { onSuccess: () => toast.success(t("knowledge.uploaded")), onError: toast.error });
            e.target.value = "";
          }}
        />
        <Button variant="secondary" size="sm" loading={upload.isPending} onClick={() => input.current?.click()}>
          <Upload className="size-4" aria-hidden />
          {t("knowledge.uploadFile")}
        </Button>
      </div>
      {article.files.length === 0 ? (
        <p className="text-sm text-slate-400">{t("knowledge.noFiles")}</p>
      ) : (
        <ul className="space-y-2">
          {article.files.map((file) => (
            <li key={file.id} className="flex flex-wrap items-center gap-2 text-sm">
              <Paperclip className="size-4 text-slate-400" aria-hidden />
              <span className="min-w-0 flex-1 truncate">{file.name}</span>
              <span className="text-xs text-slate-400">{Math.ceil((file.size ?? 0) / 1024)} KB</span>
              <IndexBadge index={file.index} />
              {(file.index.state === "extracting" || file.index.state === "embedding") && (
                <progress className="h-1.5 w-24" max={100} value={file.index.progress} aria-label={t("knowledge.progress")} />
              )}
              <button type="button" aria-label={t("common.delete")} className="p-1 text-slate-400 hover:text-red-600" onClick={() => remove.mutate(file.id, { onError: toast.error })}>
                <Trash2 className="size-4" aria-hidden />
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
