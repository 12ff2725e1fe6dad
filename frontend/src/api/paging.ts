import { keepPreviousData, useInfiniteQuery, type InfiniteData, type QueryKey, type UseInfiniteQueryResult } from "@tanstack/react-query";
import { useCallback } from "react";
import { api, type RequestOptions } from "./client";
import type { Paginated } from "./types";

/**
 * An API `next`/`previous` link as a path for the client. The API writes absolute URLs from the host
 * it was reached at — the dev proxy's target, or plain http:// behind a TLS proxy — so only the path
 * and the query are kept: the request goes to the page's own origin like every other.
 */
export function linkPath(link: string | null | undefined): string | null {
  if (!link) return null;
  const url = new URL(link, "http://relative.invalid");
  return url.pathname + url.search;
}

/** The link with another `page_size` (a cursor stays valid whatever the size of the page it ends). */
export function withPageSize(path: string, size: number): string {
  const url = new URL(path, "http://relative.invalid");
  url.searchParams.set("page_size", String(size));
  return url.pathname + url.search;
}

const byId = (item: unknown) => (item as { id: unknown }).id;

/** The rows of the loaded pages in order, each once (by `rowKey`, default `id`): between two page
 * requests a row can move to the next page (a conversation with a new message climbs to the top)
 * and would otherwise show twice. */
export function pageItems<T>(pages: ReadonlyArray<{ results: T[] }>, rowKey: (item: T) => unknown = byId): T[] {
  const seen = new Set<unknown>();
  const items: T[] = [];
  for (const page of pages) {
    for (const item of page.results) {
      const key = rowKey(item);
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(item);
    }
  }
  return items;
}

export interface PagedList<T> {
  items: T[];
  /** The API's count of the rows matching the filters (from the last page fetched). */
  total: number;
  pages: number;
}

/**
 * A page-number paginated list (`{count, next, previous, results}`) read page by page: the first
 * page from `path` with `query`, each next one from the previous page's `next` link ("Load more").
 * A new `queryKey` (other filters) starts again from page 1, showing the previous rows meanwhile;
 * a list left behind (other filters, another page) is dropped at once, so coming back to it starts
 * from page 1 too instead of refetching every page once loaded. While shown, an invalidation
 * (mutation, realtime event) refetches every loaded page, so nothing on screen goes away.
 * `rowKey` must be a stable function (module level) for rows without an `id`.
 */
export function usePagedList<T>({
  queryKey,
  path,
  query,
  rowKey = byId,
}: {
  queryKey: QueryKey;
  path: string;
  query?: RequestOptions["query"];
  rowKey?: (item: T) => unknown;
}) {
  const select = useCallback(
    (data: InfiniteData<Paginated<T>, string | null>): PagedList<T> => ({
      items: pageItems(data.pages, rowKey),
      total: data.pages.at(-1)?.count ?? 0,
      pages: data.pages.length,
    }),
    [rowKey],
  );
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => api.get<Paginated<T>>(pageParam ?? path, pageParam ? { signal } : { signal, query }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => linkPath(last.next),
    select,
    placeholderData: keepPreviousData,
    gcTime: 0,
  });
}

/** Every row of a paginated list, following `next` to the end: for pickers (a select cannot page). */
export async function fetchAllPages<T>(path: string, options: Pick<RequestOptions, "query" | "signal"> = {}): Promise<T[]> {
  const rows: T[] = [];
  let page = await api.get<Paginated<T>>(path, options);
  rows.push(...page.results);
  for (let next = linkPath(page.next); next; next = linkPath(page.next)) {
    page = await api.get<Paginated<T>>(next, { signal: options.signal });
    rows.push(...page.results);
  }
  return rows;
}

/** The props of `<LoadMore>` for a loaded `usePagedList` result. */
export function loadMoreProps<T>(list: UseInfiniteQueryResult<PagedList<T>>) {
  return {
    shown: list.data?.items.length ?? 0,
    total: list.data?.total ?? 0,
    pages: list.data?.pages ?? 0,
    hasMore: list.hasNextPage,
    loading: list.isFetchingNextPage,
    onLoad: () => void list.fetchNextPage(),
  };
}
