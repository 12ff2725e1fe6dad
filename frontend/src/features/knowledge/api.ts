import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import { usePagedList } from "../../api/paging";
import type { Article, ArticleFile, ArticleListItem, CategoryNode, SearchHit } from "../../api/types";

export function useCategoryTree() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("kb_category", "tree"),
    queryFn: ({ signal }) => api.get<CategoryNode[]>("/api/knowledge/categories/tree", { signal }),
  });
}

/** A mutation that refetches the knowledge base's categories and articles afterwards. */
export function useKbMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  const key = useWsKey();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: key("kb_category") }),
        queryClient.invalidateQueries({ queryKey: key("kb_article") }),
      ]);
    },
  });
}

/** Create a category (`id` null, under `parent`) or rename one. */
export function useSaveCategory(editing: { id: number | null; parent: number | null }) {
  return useKbMutation((name: string) =>
    editing.id === null ? api.post("/api/knowledge/categories", { name, parent: editing.parent }) : api.patch(`/api/knowledge/categories/${editing.id}`, { name }),
  );
}

/** Move a category under another (`parent`), or to the top (`null`). */
export function useMoveCategory() {
  return useKbMutation((v: { id: number; parent: number | null }) => api.patch(`/api/knowledge/categories/${v.id}`, { parent: v.parent }));
}

/** Delete a category; the variable says what happens to its articles (`refuse` or `move_to_parent`). */
export function useDeleteCategory(id: number) {
  return useKbMutation((onArticles: string) => api.delete(`/api/knowledge/categories/${id}`, { query: { on_articles: onArticles } }));
}

export interface ArticleFilters {
  search: string;
  status: string;
  language: string;
  index_state: string;
  tag: string;
  category?: number;
}

/** The article list, page by page ("Load more"). */
export function useArticles(filters: ArticleFilters) {
  const key = useWsKey();
  // Creation time breaks ties of the update time, so that pages keep one order ("Load more").
  const query = { ...filters, ordering: "-updated_at,-created_at", page_size: 100 };
  return usePagedList<ArticleListItem>({ queryKey: key("kb_article", "list", query), path: "/api/knowledge/articles", query });
}

const TERMINAL_INDEX_STATES = new Set(["ready", "failed"]);

function indexing(article: Article | undefined): boolean {
  if (!article) return false;
  return [article.index.state, ...article.files.map((file) => file.index.state)].some(
    (state) => !TERMINAL_INDEX_STATES.has(state),
  );
}

/** One article with its files (none while `id` is null). */
export function useArticle(id: number | null) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("kb_article", id),
    queryFn: ({ signal }) => api.get<Article>(`/api/knowledge/articles/${id}`, { signal }),
    enabled: id !== null,
    // Websocket events update the index state live; polling while indexing runs is the safety net
    // for an event lost to a reconnect.
    refetchInterval: (query) => (indexing(query.state.data) ? 2000 : false),
  });
}

export interface ArticleInput {
  title: string;
  body: string;
  status: "draft" | "published" | "archived";
  language: string;
  tags: string[];
  categories: number[];
}

/** Create an article (`id` null) or save one. */
export function useSaveArticle(id: number | null) {
  return useKbMutation((body: ArticleInput) =>
    id === null ? api.post<Article>("/api/knowledge/articles", body) : api.patch<Article>(`/api/knowledge/articles/${id}`, body),
  );
}

export function useDeleteArticle(id: number | null) {
  return useKbMutation(() => api.delete(`/api/knowledge/articles/${id}`));
}

export function useUploadArticleFile(articleId: number) {
  return useKbMutation((file: File) => {
    const form = new FormData();
    form.append("file", file);
    return api.post(`/api/knowledge/articles/${articleId}/files`, form);
  });
}

/** Where an upload from the knowledge page goes: a new article per file (titled after it, in
 * `category` when set), or into an existing article. */
export type UploadTarget = { kind: "new"; category: number | null } | { kind: "article"; id: number };

/** Upload one file to `target`; resolves to the article and the file it now holds. */
export function useUploadToKnowledge() {
  return useKbMutation(async ({ file, target }: { file: File; target: UploadTarget }) => {
    const form = new FormData();
    form.append("file", file);
    if (target.kind === "article") {
      const attached = await api.post<ArticleFile>(`/api/knowledge/articles/${target.id}/files`, form);
      return { articleId: target.id, fileId: attached.id };
    }
    if (target.category !== null) form.append("categories", String(target.category));
    const article = await api.post<Article>("/api/knowledge/articles/import-file", form);
    return { articleId: article.id, fileId: article.files[0].id };
  });
}

export interface UrlImportInput {
  url: string;
  categories: number[];
  resync: boolean;
}

/** Import a public web page as a new article (fetched by the server; then indexed). */
export function useImportUrl() {
  return useKbMutation((body: UrlImportInput) => api.post<Article>("/api/knowledge/articles/import-url", body));
}

export function useDeleteArticleFile() {
  return useKbMutation((fileId: number) => api.delete(`/api/knowledge/files/${fileId}`));
}

/** Search the published and draft articles; nothing is asked until a search is submitted. */
export function useKnowledgeSearch(submitted: { q: string; mode: string } | null) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("kb_search", submitted),
    queryFn: ({ signal }) => api.get<{ results: SearchHit[] }>("/api/knowledge/search", { signal, query: { ...submitted!, status: "published,draft" } }),
    enabled: submitted !== null,
  });
}

/** Depth-first list of [node, depth]. */
export function flatten(nodes: CategoryNode[], depth = 0): Array<[CategoryNode, number]> {
  return nodes.flatMap((node) => [[node, depth] as [CategoryNode, number], ...flatten(node.children ?? [], depth + 1)]);
}

/** True when `id` is `ancestor` or lies below it (a category cannot move into its own subtree). */
export function isWithin(nodes: CategoryNode[], ancestor: number, id: number): boolean {
  const find = (list: CategoryNode[]): CategoryNode | null => {
    for (const n of list) {
      if (n.id === ancestor) return n;
      const hit = find(n.children ?? []);
      if (hit) return hit;
    }
    return null;
  };
  const root = find(nodes);
  return root ? flatten([root]).some(([n]) => n.id === id) : false;
}
