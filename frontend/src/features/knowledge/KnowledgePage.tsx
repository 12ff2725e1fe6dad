import { useQuery } from "@tanstack/react-query";
import { BookOpen, FileText, Plus, Search } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import { loadMoreProps, usePagedList } from "../../api/paging";
import type { ArticleListItem, IndexState, SearchHit } from "../../api/types";
import { Button } from "../../components/ui/Button";
import { Badge, type Tone } from "../../components/ui/Badge";
import { inputClass } from "../../components/ui/fields";
import { Tabs } from "../../components/ui/Tabs";
import { LoadMore } from "../../components/ui/LoadMore";
import { EmptyState, ErrorState, PageHeader, PageSkeleton } from "../../components/ui/states";
import { ArticleEditor } from "./ArticleEditor";
import { CategoryTree } from "./CategoryTree";

const STATE_TONES: Record<string, Tone> = { ready: "green", failed: "red", queued: "gray", extracting: "amber", embedding: "amber" };

export function IndexBadge({ index }: { index: IndexState }) {
  const { t } = useTranslation();
  const busy = index.state === "extracting" || index.state === "embedding";
  return (
    <Badge tone={STATE_TONES[index.state] ?? "gray"} className="whitespace-nowrap">
      <span data-index-state={index.state}>{t(`knowledge.index.${index.state}`)}</span>
      {busy && <span>{index.progress}%</span>}
    </Badge>
  );
}

export function KnowledgePage() {
  const { t } = useTranslation();
  const [category, setCategory] = useState<number | null>(null);
  const [tab, setTab] = useState<"articles" | "search">("articles");
  const [editing, setEditing] = useState<number | "new" | null>(null);
  return (
    <>
      <PageHeader
        title={t("knowledge.title")}
        description={t("knowledge.description")}
        actions={
          <Button onClick={() => setEditing("new")}>
            <Plus className="size-4" aria-hidden />
            {t("knowledge.newArticle")}
          </Button>
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-[16rem_1fr]">
        <CategoryTree selected={category} onSelect={setCategory} />
        <div className="min-w-0">
          <Tabs label={t("knowledge.title")} value={tab} onChange={setTab} tabs={[["articles", t("knowledge.articles")], ["search", t("knowledge.search")]] as const} />
          {tab === "articles" ? <ArticleList category={category} onOpen={setEditing} /> : <SearchPanel onOpen={setEditing} />}
        </div>
      </div>
      {editing !== null && <ArticleEditor id={editing === "new" ? null : editing} defaultCategory={category} onClose={() => setEditing(null)} onCreated={(id) => setEditing(id)} />}
    </>
  );
}

function ArticleList({ category, onOpen }: { category: number | null; onOpen: (id: number) => void }) {
  const { t, i18n } = useTranslation();
  const key = useWsKey();
  const [filters, setFilters] = useState({ search: "", status: "", language: "", index_state: "", tag: "" });
  // Creation time breaks ties of the update time, so that pages keep one order ("Load more").
  const query = { ...filters, category: category ?? undefined, ordering: "-updated_at,-created_at", page_size: 100 };
  const articles = usePagedList<ArticleListItem>({ queryKey: key("kb_article", "list", query), path: "/api/knowledge/articles", query });
  const set = (k: keyof typeof filters, v: string) => setFilters((f) => ({ ...f, [k]: v }));
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
          {["en", "ru", "es", "pt"].map((l) => (
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
                      {t(`knowledge.statuses.${a.status ?? "draft"}`)} · {a.language || "—"} · {new Date(a.updated_at).toLocaleDateString(i18n.language)}
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

/** The API's snippet is HTML-escaped with matches in <mark>: render only those marks. */
export function Snippet({ html }: { html: string }) {
  const parts = html.split(/(<mark>.*?<\/mark>)/g);
  const decode = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, "&");
  return (
    <>
      {parts.map((part, i) =>
        part.startsWith("<mark>") ? (
          <mark key={i} className="rounded bg-amber-200 px-0.5 text-slate-900 dark:bg-amber-500/40 dark:text-amber-100">
            {decode(part.slice(6, -7))}
          </mark>
        ) : (
          <span key={i}>{decode(part)}</span>
        ),
      )}
    </>
  );
}

function SearchPanel({ onOpen }: { onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const key = useWsKey();
  const [text, setText] = useState("");
  const [mode, setMode] = useState("hybrid");
  const [submitted, setSubmitted] = useState<{ q: string; mode: string } | null>(null);
  const search = useQuery({
    queryKey: key("kb_search", submitted),
    queryFn: ({ signal }) => api.get<{ results: SearchHit[] }>("/api/knowledge/search", { signal, query: { ...submitted!, status: "published,draft" } }),
    enabled: submitted !== null,
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (text.trim()) setSubmitted({ q: text.trim(), mode });
  }
  return (
    <>
      <form onSubmit={onSubmit} role="search" className="mb-4 flex flex-wrap gap-2">
        <label className="relative min-w-48 flex-1">
          <span className="sr-only">{t("knowledge.searchLabel")}</span>
          <Search className="pointer-events-none absolute top-2.5 left-3 size-4 text-slate-400" aria-hidden />
          <input type="search" className={`${inputClass} pl-9`} placeholder={t("knowledge.searchPlaceholder")} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <div className="w-36">
          <select aria-label={t("knowledge.searchMode")} className={inputClass} value={mode} onChange={(e) => setMode(e.target.value)}>
            {["hybrid", "fulltext", "semantic"].map((m) => (
              <option key={m} value={m}>
                {t(`knowledge.modes.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit">{t("knowledge.search")}</Button>
      </form>
      {submitted === null ? (
        <EmptyState icon={Search} title={t("knowledge.searchIntro")} description={t("knowledge.searchIntroText")} />
      ) : search.isPending ? (
        <PageSkeleton rows={3} />
      ) : search.isError ? (
        <ErrorState error={search.error} />
      ) : search.data.results.length === 0 ? (
        <EmptyState icon={Search} title={t("knowledge.noResults")} />
      ) : (
        <ol className="space-y-3" aria-label={t("knowledge.results")}>
          {search.data.results.map((hit, i) => (
            <li key={hit.chunk_id} className="rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <Badge tone="indigo">[{i + 1}]</Badge>
                <button type="button" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300" onClick={() => onOpen(hit.article_id)}>
                  {hit.article_title}
                </button>
                <span className="text-xs text-slate-500 dark:text-slate-400">
                  {[hit.file_name, hit.heading, hit.page ? t("knowledge.page", { page: hit.page }) : null].filter(Boolean).join(" › ")}
                </span>
                <span className="ml-auto text-xs text-slate-400" title={t("knowledge.ranks", { ft: hit.fulltext_rank ?? "—", sem: hit.semantic_rank ?? "—" })}>
                  {hit.score.toFixed(3)}
                </span>
              </div>
              <p className="mt-2 text-sm text-slate-700 dark:text-slate-300" data-testid="search-snippet">
                <Snippet html={hit.snippet} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
