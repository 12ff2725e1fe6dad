/** Fake API answers for component tests that stub `fetch`. */

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** The API's page-number pagination of `rows` for the request `url`: absolute `next` links carrying
 * every query parameter, as the server writes them. */
export function pageOf<T>(rows: T[], url: URL) {
  const page = Number(url.searchParams.get("page") ?? 1);
  const size = Number(url.searchParams.get("page_size") ?? 25);
  let next: string | null = null;
  if (page * size < rows.length) {
    const link = new URL(url.pathname + url.search, "http://testserver");
    link.searchParams.set("page", String(page + 1));
    next = link.toString();
  }
  return { count: rows.length, next, previous: null, results: rows.slice((page - 1) * size, page * size) };
}
