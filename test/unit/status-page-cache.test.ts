import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { bumpPublicPage, publicPageCache, refreshPublicPage, renderOnce } from "../../src/status/page-cache.js";
import type { PublicPage } from "../../src/status/public-status.js";

const pageNamed = (title: string): PublicPage => ({
  title,
  components: [],
  active: [],
  maintenance: [],
  recent: [],
  lastChange: null,
  now: new Date(),
});

/** A load whose answers the test releases one at a time, counting the reads. */
function gatedLoad() {
  const pending: ((p: PublicPage) => void)[] = [];
  let reads = 0;
  return {
    load: () => {
      reads++;
      return new Promise<PublicPage>((resolve) => pending.push(resolve));
    },
    release: (title: string) => pending.shift()!(pageNamed(title)),
    get reads() {
      return reads;
    },
    get waiting() {
      return pending.length;
    },
  };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("public page cache", () => {
  it("the first page is awaited once by every request; after a change the stale page is served while one rebuild runs", async () => {
    const g = gatedLoad();
    const cache = publicPageCache(g.load, { ttlMs: 60_000 });
    const first = [cache(), cache(), cache()];
    expect(g.reads).toBe(1);
    g.release("v1");
    expect((await Promise.all(first)).map((c) => c.page.title)).toEqual(["v1", "v1", "v1"]);

    bumpPublicPage(); // another app's publish: stale now
    const during = await Promise.all(Array.from({ length: 20 }, () => cache()));
    expect(during.every((c) => c.page.title === "v1")).toBe(true); // nobody waited for the database
    expect(g.reads).toBe(2); // one rebuild for twenty requests
    g.release("v2");
    await tick();
    expect((await cache()).page.title).toBe("v2");
    expect(g.reads).toBe(2);
  });

  it("refreshPublicPage(owner) resolves only once the owner's cache holds a page read after the change", async () => {
    const g = gatedLoad();
    const owner = {};
    const cache = publicPageCache(g.load, { ttlMs: 60_000, owner });
    const c0 = cache();
    g.release("v1");
    await c0;
    bumpPublicPage();
    void cache(); // a background rebuild that may have read before the change
    expect(g.waiting).toBe(1);
    let done = false;
    const refreshed = refreshPublicPage(owner).then(() => (done = true));
    g.release("read before the change");
    await tick();
    expect(done).toBe(false); // it reads again rather than trusting the build already running
    expect(g.waiting).toBe(1);
    g.release("v2");
    await refreshed;
    expect((await cache()).page.title).toBe("v2");
    await refreshPublicPage({}); // an owner with no cache: nothing to wait for
  });

  it("a failed rebuild keeps the stale page and the next request tries again", async () => {
    let fail = false;
    let n = 0;
    const cache = publicPageCache(async () => {
      if (fail) throw new Error("database away");
      return pageNamed(`v${++n}`);
    });
    expect((await cache()).page.title).toBe("v1");
    fail = true;
    bumpPublicPage();
    expect((await cache()).page.title).toBe("v1");
    await tick();
    expect((await cache()).page.title).toBe("v1");
    fail = false;
    await tick();
    await cache(); // starts the rebuild
    await tick();
    expect((await cache()).page.title).toBe("v2");
  });

  it("renderOnce renders, hashes and gzips an answer once per cached page", async () => {
    const cache = publicPageCache(async () => pageNamed("x"), { ttlMs: 60_000 });
    const c = await cache();
    let renders = 0;
    const a = renderOnce(c, "page", () => `<p>${++renders}</p>`.repeat(50));
    const b = renderOnce(c, "page", () => `<p>${++renders}</p>`);
    expect(renders).toBe(1);
    expect(b).toBe(a);
    expect(gunzipSync(a.gzip).equals(a.body)).toBe(true);
    expect(a.gzip.length).toBeLessThan(a.body.length);
    expect(a.etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
  });
});
