import { FileUp, Paperclip } from "lucide-react";
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../../api/problem";
import { Button } from "../../components/ui/Button";
import { FormAlert, SelectField, TextField } from "../../components/ui/fields";
import { Modal } from "../../components/ui/Modal";
import { useArticle, useArticles, useUploadToKnowledge, type UploadTarget } from "./api";
import { CategorySelect } from "./CategoryPicker";
import { IndexBadge } from "./IndexBadge";

interface Row {
  name: string;
  state: "waiting" | "uploading" | "done" | "failed";
  error?: string;
  articleId?: number;
  fileId?: number;
}

/** Upload files from the knowledge page: each becomes an article of its own (titled after the file, in
 * a category), or all go into one existing article. Each file shows its upload, then its indexing, live. */
export function UploadDialog({ defaultCategory, onClose, onOpen }: { defaultCategory: number | null; onClose: () => void; onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [kind, setKind] = useState<UploadTarget["kind"]>("new");
  const [category, setCategory] = useState(defaultCategory);
  const [article, setArticle] = useState<number | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const upload = useUploadToKnowledge();
  const running = rows.some((r) => r.state === "uploading" || r.state === "waiting");

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!files.length) return setFormError(t("knowledge.upload.chooseFiles"));
    if (kind === "article" && article === null) return setFormError(t("knowledge.upload.chooseArticle"));
    setFormError(null);
    const target: UploadTarget = kind === "new" ? { kind, category } : { kind, id: article! };
    const next: Row[] = files.map((file) => ({ name: file.name, state: "waiting" }));
    setRows([...next]);
    for (const [i, file] of files.entries()) {
      next[i] = { ...next[i], state: "uploading" };
      setRows([...next]);
      try {
        const done = await upload.mutateAsync({ file, target });
        next[i] = { ...next[i], state: "done", ...done };
      } catch (err) {
        next[i] = { ...next[i], state: "failed", error: errorMessage(err) };
      }
      setRows([...next]);
    }
    setFiles([]);
  }

  return (
    <Modal open onClose={onClose} size="lg" title={t("knowledge.upload.title")}>
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <FormAlert>{formError}</FormAlert>
        <div className="flex flex-wrap items-center gap-3">
          <input
            ref={input}
            type="file"
            multiple
            className="hidden"
            aria-label={t("knowledge.upload.files")}
            accept=".pdf,.docx,.html,.htm,.md,.markdown,.txt"
            onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
          />
          <Button variant="secondary" onClick={() => input.current?.click()}>
            <Paperclip className="size-4" aria-hidden />
            {t("knowledge.upload.choose")}
          </Button>
          <span className="text-slate-500 dark:text-slate-400">
            {files.length ? files.map((f) => f.name).join(", ") : t("knowledge.upload.supported")}
          </span>
        </div>
        <fieldset className="space-y-2">
          <legend className="mb-1 font-medium text-slate-700 dark:text-slate-300">{t("knowledge.upload.where")}</legend>
          {(["new", "article"] as const).map((option) => (
            <label key={option} className="flex items-center gap-2">
              <input type="radio" name="upload-target" checked={kind === option} onChange={() => setKind(option)} />
              {t(`knowledge.upload.${option}`)}
            </label>
          ))}
        </fieldset>
        {kind === "new" ? <CategorySelect value={category} onChange={setCategory} /> : <ArticleChooser value={article} onChange={setArticle} />}
        {rows.length > 0 && (
          <ul className="space-y-2" aria-label={t("knowledge.upload.progress")}>
            {rows.map((row, i) => (
              <UploadRow key={i} row={row} onOpen={onOpen} />
            ))}
          </ul>
        )}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            {t("common.close")}
          </Button>
          <Button type="submit" loading={running} disabled={!files.length}>
            <FileUp className="size-4" aria-hidden />
            {t("knowledge.upload.submit", { count: files.length })}
          </Button>
        </div>
      </form>
    </Modal>
  );
}

/** A file's upload, then (once uploaded) its index state, live. */
function UploadRow({ row, onOpen }: { row: Row; onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const article = useArticle(row.articleId ?? null);
  const file = article.data?.files.find((f) => f.id === row.fileId);
  return (
    <li className="flex flex-wrap items-center gap-2" data-testid="upload-row">
      <Paperclip className="size-4 text-slate-400" aria-hidden />
      <span className="min-w-0 flex-1 truncate">{row.name}</span>
      {row.state === "failed" ? (
        <span className="text-red-600 dark:text-red-400">{row.error}</span>
      ) : file ? (
        <IndexBadge index={file.index} />
      ) : (
        <span className="text-slate-500">{t(`knowledge.upload.states.${row.state}`)}</span>
      )}
      {row.articleId !== undefined && (
        <button type="button" className="text-indigo-700 hover:underline dark:text-indigo-300" onClick={() => onOpen(row.articleId!)}>
          {t("knowledge.openArticle")}
        </button>
      )}
    </li>
  );
}

/** Pick an existing article by (part of) its title. */
function ArticleChooser({ value, onChange }: { value: number | null; onChange: (id: number | null) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const articles = useArticles({ search, status: "", language: "", index_state: "", tag: "" });
  const items = articles.data?.items ?? [];
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <TextField label={t("knowledge.upload.findArticle")} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
      <SelectField label={t("knowledge.upload.targetArticle")} value={value ?? ""} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}>
        <option value="">{t("knowledge.upload.pickArticle")}</option>
        {items.map((a) => (
          <option key={a.id} value={a.id}>
            {a.title}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
