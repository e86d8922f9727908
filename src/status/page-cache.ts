import type { PublicPage } from "./public-status.js";

/**
 * A one-second cache of the public page and what is rendered from it, so a crowd refreshing /status during an
 * incident costs one database read a second, not one per request. A publish in this process drops it at once
 * (bumpPublicPage after commit); another replica's publish shows within the TTL.
 */
let version = 0;
export const bumpPublicPage = (): void => void version++;

export interface CachedPage {
  page: PublicPage;
  /** Rendered answers by key (path), filled on first use. */
  rendered: Map<string, { body: string; etag: string }>;
}

/** One cache per app (its own database); the version is shared, so a publish drops every one of them. */
export function publicPageCache(load: () => Promise<PublicPage>, ttlMs = 1000): () => Promise<CachedPage> {
  let entry: { version: number; at: number; value: Promise<CachedPage> } | undefined;
  return () => {
    const now = performance.now();
    if (entry && entry.version === version && now - entry.at < ttlMs) return entry.value;
    const mine = { version, at: now, value: load().then((page) => ({ page, rendered: new Map() })) };
    entry = mine;
    // A failed read is not cached: the next request tries again.
    mine.value.catch(() => {
      if (entry === mine) entry = undefined;
    });
    return mine.value;
  };
}

/** The rendered answer for `key`, made once per cached page. */
export function renderOnce(c: CachedPage, key: string, render: () => string): string {
  let r = c.rendered.get(key);
  if (!r) c.rendered.set(key, (r = { body: render(), etag: "" }));
  return r.body;
}
