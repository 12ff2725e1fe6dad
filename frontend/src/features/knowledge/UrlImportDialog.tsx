import { Globe } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { CheckboxField, FormAlert, TextField } from "../../components/ui/fields";
import { splitApiError } from "../../components/ui/formErrors";
import { Modal } from "../../components/ui/Modal";
import { useArticle, useImportUrl } from "./api";
import { CategorySelect } from "./CategoryPicker";
import { IndexBadge } from "./IndexBadge";

/** Import a public web page as an article: the server fetches it (safely, within limits), then it is
 * indexed; the dialog shows each stage, and re-sync keeps the article in step with the page. */
export function UrlImportDialog({ defaultCategory, onClose, onOpen }: { defaultCategory: number | null; onClose: () => void; onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState("");
  const [category, setCategory] = useState(defaultCategory);
  const [resync, setResync] = useState(false);
  const [urlError, setUrlError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [imported, setImported] = useState<number | null>(null);
  const importUrl = useImportUrl();
  const article = useArticle(imported);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    if (!/^https?:\/\/\S+$/i.test(url.trim())) return setUrlError(t("knowledge.importUrl.invalid"));
    setUrlError(undefined);
    setImported(null);
    importUrl.mutate(
      { url: url.trim(), categories: category === null ? [] : [category], resync },
      {
        onSuccess: (created) => setImported(created.id),
        onError: (err) => {
          const split = splitApiError(err, ["url"] as const);
          setUrlError(split.fieldErrors.url);
          setFormError(split.formError);
        },
      },
    );
  }

  return (
    <Modal open onClose={onClose} title={t("knowledge.importUrl.title")}>
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <FormAlert>{formError}</FormAlert>
        <TextField label={t("knowledge.importUrl.url")} type="url" placeholder="https://example.com/faq" value={url} onChange={(e) => setUrl(e.target.value)} error={urlError} />
        <CategorySelect value={category} onChange={setCategory} />
        <CheckboxField label={t("knowledge.importUrl.resync")} hint={t("knowledge.importUrl.resyncHint")} checked={resync} onChange={setResync} />
        <div role="status" aria-live="polite" data-testid="url-import-status">
          {importUrl.isPending && <p className="text-slate-500">{t("knowledge.importUrl.fetching")}</p>}
          {article.data && (
            <p className="flex flex-wrap items-center gap-2">
              <span>{t("knowledge.importUrl.created", { title: article.data.title })}</span>
              <IndexBadge index={article.data.index} />
              <button type="button" className="text-indigo-700 hover:underline dark:text-indigo-300" onClick={() => onOpen(article.data.id)}>
                {t("knowledge.openArticle")}
              </button>
            </p>
          )}
        </div>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            {t("common.close")}
          </Button>
          <Button type="submit" loading={importUrl.isPending}>
            <Globe className="size-4" aria-hidden />
            {t("knowledge.importUrl.submit")}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
