import { Search } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { inputClass } from "../../components/ui/fields";
import { EmptyState, ErrorState, PageSkeleton } from "../../components/ui/states";
import { useKnowledgeSearch } from "./api";

/** Hybrid, full-text or semantic search: each passage with its highlights and where it comes from. */
export function SearchPanel({ onOpen }: { onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const [mode, setMode] = useState("hybrid");
  const [submitted, setSubmitted] = useState<{ q: string; mode: string } | null>(null);
  const search = useKnowledgeSearch(submitted);
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
        <EmptyState icon={Search} title={t("knowledge.noResults")} description={t("knowledge.noResultsText")} />
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
                <Badge tone={hit.relevance === "high" ? "green" : "gray"} className="ml-auto">
                  {t(`knowledge.relevance.${hit.relevance}`)}
                </Badge>
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
