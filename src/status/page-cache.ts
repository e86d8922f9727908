import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { PublicPage } from "./public-status.js";

/**
 * A one-second cache of the public page and what is rendered from it, so a crowd refreshing /status during an
 * incident costs one database read a second, not one per request, and no request waits for that read once the
 * first page is built: after the TTL (or another app's publish) the stale page keeps being served while one
 * rebuild runs in the background. A publish in this app waits for its own cache to be rebuilt before it returns
 * (`refreshPublicPage`), so whoever published sees it at once; another replica's publish shows within the TTL.
 */
let version = 0;

export interface RenderedAnswer {
  body: Buffer;
  /** Made once per answer: a strong ETag of the body and its gzip, so a request only compares and writes. */
  etag: string;
  gzip: Buffer;
}

export interface CachedPage {
  page: PublicPage;
  /** Rendered answers by key (path), filled on first use. */
  rendered: Map<string, RenderedAnswer>;
}

export interface PublicPageCache {
  (): Promise<CachedPage>;
  /** Reads and swaps in a fresh page now (requests meanwhile get the old one); resolves when it is in. */
  refresh(): Promise<void>;
}

/** The caches of the apps in this process, by the key their publishes refresh with (their AppContext). */
const caches = new WeakMap<object, PublicPageCache>();

/** Tells every cache in this process that the page changed: each rebuilds on its next request (serving stale meanwhile). */
export const bumpPublicPage = (): void => void version++;

/** After a committed publish: every cache is stale, and `owner`'s own is rebuilt before this resolves. */
export async function refreshPublicPage(owner: object): Promise<void> {
  bumpPublicPage();
  // The publish is committed either way; a failed read leaves the stale page and the next request retries.
  await caches
    .get(owner)
    ?.refresh()
    .catch(() => undefined);
}

/** One cache per app (its own database), registered under `owner` so that app's publishes refresh it. */
export function publicPageCache(load: () => Promise<PublicPage>, opts: { ttlMs?: number; owner?: object } = {}): PublicPageCache {
  const ttlMs = opts.ttlMs ?? 1000;
  let current: { version: number; at: number; value: CachedPage } | undefined;
  let building: Promise<CachedPage> | undefined;

  const build = (): Promise<CachedPage> => {
    if (building) return building;
    const v = version;
    const at = performance.now();
    const mine = load().then((page) => {
      const value: CachedPage = { page, rendered: new Map() };
      // A build started before a newer bump still replaces an older page, but stays stale for the next request.
      if (!current || current.at <= at) current = { version: v, at, value };
      return value;
    });
    building = mine;
    // A failed read is not kept: the stale page (if any) stays and the next request tries again.
    const clear = () => {
      if (building === mine) building = undefined;
    };
    mine.then(clear, clear);
    return mine;
  };

  const get = (() => {
    if (!current) return build(); // the very first page: nothing to serve meanwhile
    if (current.version !== version || performance.now() - current.at >= ttlMs) {
      build().catch(() => undefined); // the error is seen by the next request that has to wait (none while stale exists)
    }
    return Promise.resolve(current.value);
  }) as PublicPageCache;

  get.refresh = async () => {
    // A build already running may have read before the change: wait for it, then read again.
    if (building) await building.catch(() => undefined);
    await build();
  };
  if (opts.owner) caches.set(opts.owner, get);
  return get;
}

const etagOf = (body: Buffer) => `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;

/** A rendered answer with its ETag and gzip, made once (per cached page, or per call when `c` is undefined). */
export function renderOnce(c: CachedPage | undefined, key: string, render: () => string): RenderedAnswer {
  let r = c?.rendered.get(key);
  if (!r) {
    const body = Buffer.from(render());
    r = { body, etag: etagOf(body), gzip: gzipSync(body) };
    c?.rendered.set(key, r);
  }
  return r;
}
