import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppContext } from "../context.js";
import type { Route } from "./routes.js";
import { loadPublicPage } from "../status/public-status.js";
import { renderIncidentPage, renderStatusPage } from "../status/render-page.js";
import { summaryJson } from "../status/summary-json.js";
import { historyFeed } from "../status/history-feed.js";
import { publicPageCache, type RenderedAnswer, renderOnce } from "../status/page-cache.js";

// No scripts, no outside fetches: the page is pure server-rendered HTML with its one inline stylesheet.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Sends a rendered answer with the caching headers (gzip when the client takes it, made once with the answer);
 * a matching If-None-Match (or unchanged If-Modified-Since) gets 304.
 */
function sendPage(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  answer: RenderedAnswer,
  lastChange: Date | null,
  contentType = "text/html; charset=utf-8",
  extraHeaders: Record<string, string> = {},
): void {
  const gzip = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
  // Each encoding is its own representation, so its own strong ETag; either one in If-None-Match means unchanged.
  const etag = gzip ? `${answer.etag.slice(0, -1)}-gz"` : answer.etag;
  const headers: Record<string, string> = {
    "content-type": contentType,
    "cache-control": "public, max-age=30",
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    vary: "accept-encoding",
    etag,
    ...extraHeaders,
  };
  if (lastChange) headers["last-modified"] = lastChange.toUTCString();
  const inm = req.headers["if-none-match"];
  const ims = req.headers["if-modified-since"];
  const notModified =
    status === 200 &&
    (inm !== undefined
      ? inm.split(",").some((t) => {
          const tag = t.trim();
          return tag === answer.etag || tag === `${answer.etag.slice(0, -1)}-gz"`;
        })
      : ims !== undefined && lastChange !== null && Math.floor(lastChange.getTime() / 1000) <= Date.parse(ims) / 1000);
  if (notModified) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const body = gzip ? answer.gzip : answer.body;
  if (gzip) headers["content-encoding"] = "gzip";
  headers["content-length"] = String(body.length);
  res.writeHead(status, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}

/** The page's absolute URL: STATUS_PAGE_URL, else from the request's Host (feed readers need absolute links). */
function publicBase(ctx: AppContext, req: IncomingMessage): string {
  if (ctx.config.statusPage.publicUrl) return ctx.config.statusPage.publicUrl;
  const host = /^[A-Za-z0-9.:[\]-]+$/.test(req.headers.host ?? "") ? req.headers.host! : "localhost";
  return `http://${host}/status`;
}

/** `GET /status` and `GET /status/incidents/<public id>`: public, read-only, only published text. */
export function statusRoutes(ctx: AppContext) {
  const cached = publicPageCache(() => loadPublicPage(ctx.prisma, ctx.clock.now(), ctx.config.statusPage), { owner: ctx });
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0]!;
    try {
      const c = await cached();
      const page = c.page;
      if (path === "/status/history.atom") {
        const base = publicBase(ctx, req);
        const atom = renderOnce(c, `atom ${base}`, () => historyFeed(page, base));
        return sendPage(req, res, 200, atom, page.lastChange, "application/atom+xml; charset=utf-8");
      }
      if (path === "/status/summary.json") {
        const json = renderOnce(c, "summary", () => JSON.stringify(summaryJson(page)));
        return sendPage(req, res, 200, json, page.lastChange, "application/json; charset=utf-8", { "access-control-allow-origin": "*" });
      }
      if (path === "/status" || path === "/status/") {
        return sendPage(
          req,
          res,
          200,
          renderOnce(c, "page", () => renderStatusPage(page)),
          page.lastChange,
        );
      }
      const m = /^\/status\/incidents\/([0-9a-f]{12})$/.exec(path);
      const inc = m ? page.recent.find((i) => i.id === m[1]) : undefined;
      if (!inc) {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8", "content-security-policy": CSP });
        res.end("No such incident on the status page.");
        return;
      }
      return sendPage(
        req,
        res,
        200,
        renderOnce(c, `incident ${inc.id}`, () => renderIncidentPage(page, inc)),
        inc.updatedAt,
      );
    } catch (err) {
      ctx.log.error({ err }, "status page failed");
      res.writeHead(503, { "content-type": "text/plain; charset=utf-8" });
      res.end("The status page is unavailable; try again shortly.");
    }
  };
  return [
    { path: "/status", method: ["GET", "HEAD"], handler },
    { path: "/status/incidents/*", method: ["GET", "HEAD"], handler },
    { path: "/status/summary.json", method: ["GET", "HEAD"], handler },
    { path: "/status/history.atom", method: ["GET", "HEAD"], handler },
  ] satisfies Route[];
}
