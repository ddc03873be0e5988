/** A page as the API returns it: `{data, pagination: {next_cursor, has_more}}`. */
export interface CursorPage<T> {
  data: T[];
  pagination: { next_cursor?: string | null; has_more?: boolean };
}

/**
 * A lazily fetched list over cursor pages. Iterate it for the items (`for await (const user of
 * client.users.list({limit: 50}))`) or over `.pages()` for whole pages; nothing is requested until then,
 * and each page is requested only when the previous one has been consumed.
 */
export class Paginator<T, P extends CursorPage<T> = CursorPage<T>> implements AsyncIterable<T> {
  constructor(private readonly fetchPage: (cursor: string | undefined) => Promise<P>) {}

  /** The pages, first to last, each as the API sent it. */
  async *pages(): AsyncGenerator<P, void, undefined> {
    let cursor: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const page = await this.fetchPage(cursor);
      yield page;
      const next = page.pagination.next_cursor;
      if (!next || page.pagination.has_more === false) return;
      // A server answering the same cursor twice would loop forever.
      if (seen.has(next)) throw new Error('The API returned a cursor it had already returned');
      seen.add(next);
      cursor = next;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** The first page only. */
  async firstPage(): Promise<P> {
    return this.fetchPage(undefined);
  }

  /** Every item (or the first `max`), collected into an array. */
  async toArray(max = Number.POSITIVE_INFINITY): Promise<T[]> {
    const items: T[] = [];
    if (max <= 0) return items;
    for await (const item of this) {
      items.push(item);
      if (items.length >= max) break;
    }
    return items;
  }
}
