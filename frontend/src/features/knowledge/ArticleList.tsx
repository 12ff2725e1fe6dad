import { BookOpen, FileText } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { loadMoreProps } from "../../api/paging";
import { inputClass } from "../../components/ui/fields";
import { LoadMore } from "../../components/ui/LoadMore";
import { EmptyState, ErrorState, PageSkeleton } from "../../components/ui/states";
import { useArticles } from "./api";
import { IndexBadge } from "./IndexBadge";

const LANGUAGES = ["en", "ru", "es", "pt"];

/** The articles of a category (or all), filtered by title, status, language and index state. */
export function ArticleList({ category, onOpen }: { category: number | null; onOpen: (id: number) => void }) {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState({ search: "", status: "", language: "", index_state: "", tag: "" });
  const articles = useArticles({ ...filters, category: category ?? undefined });
  const set = (k: keyof typeof filters, v: string) => setFilters((f) => ({ ...f, [k]: v }));
  const languageName = (code: string | undefined) => (!code ? "—" : LANGUAGES.includes(code) ? t(`languages.${code}`) : code);
  return (
    <>
      <div className="mb-4 grid gap-3 sm:grid-cols-2 xl:grid-cols-5">
        <input type="search" aria-label={t("common.search")} placeholder={t("knowledge.filterTitle")} className={`${inputClass} xl:col-span-2`} value={filters.search} onChange={(e) => set("search", e.target.value)} />
        <select aria-label={t("knowledge.status")} className={inputClass} value={filters.status} onChange={(e) => set("status", e.target.value)}>
          <option value="">{t("knowledge.anyStatus")}</option>
          {["draft", "published", "archived"].map((s) => (
            <option key={s} value={s}>
              {t(`knowledge.statuses.${s}`)}
            </option>
          ))}
        </select>
        <select aria-label={t("knowledge.language")} className={inputClass} value={filters.language} onChange={(e) => set("language", e.target.value)}>
          <option value="">{t("knowledge.anyLanguage")}</option>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {t(`languages.${l}`)}
            </option>
          ))}
        </select>
        <select aria-label={t("knowledge.indexState")} className={inputClass} value={filters.index_state} onChange={(e) => set("index_state", e.target.value)}>
          <option value="">{t("knowledge.anyIndexState")}</option>
          {["queued", "extracting", "embedding", "ready", "failed"].map((s) => (
            <option key={s} value={s}>
              {t(`knowledge.index.${s}`)}
            </option>
          ))}
        </select>
      </div>
      {articles.isPending ? (
        <PageSkeleton rows={3} />
      ) : articles.isError ? (
        <ErrorState error={articles.error} onRetry={() => void articles.refetch()} />
      ) : articles.data.items.length === 0 ? (
        <EmptyState icon={BookOpen} title={t("knowledge.noArticles")} description={t("knowledge.noArticlesText")} />
      ) : (
        <>
          <ul className="divide-y divide-slate-100 rounded-xl bg-white shadow-xs ring-1 ring-slate-200 dark:divide-slate-800 dark:bg-slate-900 dark:ring-slate-800" aria-label={t("knowledge.articles")}>
            {articles.data.items.map((a) => (
              <li key={a.id}>
                <button type="button" onClick={() => onOpen(a.id)} className="flex w-full flex-wrap items-center gap-3 p-3 text-left hover:bg-slate-50 dark:hover:bg-slate-800/50">
                  <FileText className="size-4 shrink-0 text-slate-400" aria-hidden />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-medium">{a.title}</span>
                    <span className="block text-xs text-slate-500 dark:text-slate-400">
                      {t(`knowledge.statuses.${a.status ?? "draft"}`)} · <span data-testid="article-language">{languageName(a.detected_language)}</span> · {new Date(a.updated_at).toLocaleDateString(i18n.language)}
                      {(a.tags ?? []).length > 0 && ` · #${(a.tags ?? []).join(" #")}`}
                    </span>
                  </span>
                  <IndexBadge index={a.index} />
                </button>
              </li>
            ))}
          </ul>
          <LoadMore className="mt-3 px-1" {...loadMoreProps(articles)} />
        </>
      )}
    </>
  );
}
