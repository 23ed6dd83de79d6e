/** Lists as async iterables: every page fetched in turn, items yielded one by one. */
import type { components } from "./schema.js";

type Pagination = components["schemas"]["Pagination"];

/** The most a page may hold; iterating asks for full pages unless told otherwise. */
export const MAX_PAGE_SIZE = 100;

/**
 * Every item of a list from `query`'s offset on: pages of `query.limit` (default
 * {@link MAX_PAGE_SIZE}), until a short or empty page or `pagination.total`. Items created or
 * deleted meanwhile can shift the pages (offset paging), as with any paged listing.
 */
export async function* paginate<Q extends { limit?: number; offset?: number }, P extends { pagination: Pagination }, I>(
  fetchPage: (query: Q) => Promise<P>,
  itemsOf: (page: P) => I[],
  query: Q,
): AsyncGenerator<I, void, undefined> {
  let offset = query.offset ?? 0;
  const limit = query.limit ?? MAX_PAGE_SIZE;
  for (;;) {
    const page = await fetchPage({ ...query, limit, offset });
    const items = itemsOf(page);
    yield* items;
    offset += items.length;
    if (items.length === 0 || items.length < page.pagination.limit || offset >= page.pagination.total) return;
  }
}
