import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppContext } from "../context.js";
import { slackOpenIdClient, type OpenIdClient } from "../slack/openid.js";
import { ChannelAccess } from "../web/access.js";
import { webAssets } from "../web/assets.js";
import { ShortCache } from "../web/short-cache.js";
import { bareLayout, type Html, html } from "../web/html.js";
import { SignInError } from "../web/id-token.js";
import {
  countIncidents,
  IncidentFiltersSchema,
  incidentModels,
  listGatesForWeb,
  listIncidentPage,
  ListPageSchema,
  loadGatePage,
  loadIncidentPage,
  privateIncidentChannels,
} from "../web/load-pages.js";
import { incidentListBody, type PageEnv, renderGate, renderGateList, renderIncident, renderIncidentList } from "../web/render-pages.js";
import { finishSignIn, readSession, revokeSession, safeReturnTo, sameSecret, startSignIn, type WebSession } from "../web/sessions.js";
import { loadWebStats, renderStats, statsBody, statsCsv } from "../web/stats-page.js";
import { readBodyCapped } from "./body.js";
import type { Route } from "./routes.js";

export const SESSION_COOKIE = "incident_session";
export const LOGIN_COOKIE = "incident_login";

// Scripts only from the bot itself (chart.js and the stats script); no inline script, no outside fetch.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const SECURITY_HEADERS = {
  "content-security-policy": CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (k && !(k in out)) out[k] = part.slice(i + 1).trim();
  }
  return out;
}

function sendHtml(res: ServerResponse, status: number, body: string, headers: Record<string, string | string[]> = {}) {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    "cache-control": "no-store",
    ...SECURITY_HEADERS,
    ...headers,
  });
  res.end(body);
}

function redirect(res: ServerResponse, status: 302 | 303, location: string, headers: Record<string, string | string[]> = {}) {
  res.writeHead(status, { location, "cache-control": "no-store", "content-length": "0", ...SECURITY_HEADERS, ...headers });
  res.end();
}

function messagePage(res: ServerResponse, status: number, title: string, text: string, retry = true) {
  sendHtml(
    res,
    status,
    bareLayout(
      title,
      html`<h1>${title}</h1>
        <p role="alert">${text}</p>
        ${retry ? html`<p><a href="/app/login">Sign in with Slack</a></p>` : ""}`,
    ),
  );
}

/** The same "not found" for a missing incident and one the viewer may not see: a private incident's existence is not revealed. */
function notFound(res: ServerResponse, session: WebSession | null) {
  sendHtml(
    res,
    404,
    bareLayout(
      "Not found",
      html`<h1>Not found</h1>
        <p>There is no such page.</p>
        ${session ? html`<p><a href="/app/incidents">All incidents</a></p>` : ""}`,
    ),
  );
}

/**
 * The web view (issue 17): Sign in with Slack, then server-rendered pages under /app/. Off (no routes) unless
 * SLACK_CLIENT_ID / SLACK_CLIENT_SECRET / PUBLIC_URL are set. `openid` is injectable for the bench only.
 */
export function webRoutes(ctx: AppContext, openid?: OpenIdClient): Route[] {
  const web = ctx.config.web;
  if (!web) return [];
  const client = openid ?? slackOpenIdClient({ apiUrl: ctx.config.slack.apiUrl, clientId: web.clientId, clientSecret: web.clientSecret });
  const secure = ctx.config.publicUrl!.startsWith("https://");
  const publicOrigin = new URL(ctx.config.publicUrl!).origin;
  const access = new ChannelAccess(ctx);
  // Reads shared by every viewer, kept for two seconds (access to private incidents is still checked per viewer).
  // The list keeps its drawn main part (rows, counts, links) per filters, page and visible private channels.
  const listCache = new ShortCache<Html>(2_000);
  const privateCache = new ShortCache<string[]>(2_000);
  const modelsCache = new ShortCache<string[]>(30_000, 1);
  // The 90-day numbers move slowly: ten seconds old is fresh enough, and a recount every 2 s was most of the page's p99.
  const statsCache = new ShortCache<{ body: Html; csv: string }>(10_000, 1);
  const teamId = ctx.config.slack.teamId;

  const cookie = (name: string, value: string, path: string, maxAge: number) =>
    `${name}=${value}; Path=${path}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}; Max-Age=${maxAge}`;

  const channelLink = (channelId: string) =>
    teamId ? `https://app.slack.com/client/${teamId}/${channelId}` : `slack://channel?id=${encodeURIComponent(channelId)}`;

  const pathOf = (req: IncomingMessage) => (req.url ?? "/").split("?")[0]!;
  const queryOf = (req: IncomingMessage) => new URL(req.url ?? "/", "http://x").searchParams;

  /** The signed-in viewer, or a redirect to sign-in (GET/HEAD keep where they were going). */
  async function signedIn(req: IncomingMessage, res: ServerResponse): Promise<WebSession | null> {
    const session = await readSession(ctx, parseCookies(req.headers.cookie)[SESSION_COOKIE]);
    if (session) return session;
    redirect(res, 302, `/app/login?next=${encodeURIComponent(safeReturnTo(req.url))}`);
    return null;
  }

  const envFor = (s: WebSession): PageEnv => ({
    viewer: { userId: s.userId, userName: s.userName, csrfToken: s.csrfToken },
    timeZone: ctx.config.timezone,
    now: ctx.clock.now(),
    channelLink,
  });

  /** Database trouble is a 503 page, never a stack trace. */
  const guarded =
    (fn: (req: IncomingMessage, res: ServerResponse) => Promise<void>) =>
    async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      try {
        await fn(req, res);
      } catch (err) {
        ctx.log.error({ err, path: pathOf(req) }, "web page failed");
        if (!res.headersSent) messagePage(res, 503, "Unavailable", "The web view is unavailable right now; try again shortly.", false);
        else res.destroy();
      }
    };

  const login = guarded(async (req, res) => {
    const next = queryOf(req).get("next") ?? undefined;
    const { url, state } = await startSignIn(ctx, next);
    // The state also goes in a cookie only /app/callback sees: a callback this browser did not start is refused.
    redirect(res, 302, url, { "set-cookie": cookie(LOGIN_COOKIE, state, "/app/callback", 600) });
  });

  const callback = guarded(async (req, res) => {
    const q = queryOf(req);
    const clearLogin = cookie(LOGIN_COOKIE, "", "/app/callback", 0);
    if (q.get("error")) {
      return messagePage(res, 400, "Sign-in cancelled", `Slack did not sign you in (${q.get("error")!.slice(0, 60)}).`);
    }
    const code = q.get("code");
    const state = q.get("state");
    if (!code || !state || code.length > 500 || state.length > 200) {
      return messagePage(res, 400, "Sign-in failed", "The sign-in answer from Slack is incomplete (code and state are required).");
    }
    try {
      const done = await finishSignIn(ctx, client, { code, state, cookieState: parseCookies(req.headers.cookie)[LOGIN_COOKIE] });
      redirect(res, 303, done.returnTo, {
        "set-cookie": [cookie(SESSION_COOKIE, done.token, "/app", web.sessionSeconds), clearLogin],
      });
    } catch (err) {
      if (!(err instanceof SignInError)) throw err;
      ctx.log.warn({ code: err.code }, "web sign-in refused");
      const status = err.code === "foreign_team" ? 403 : err.code === "slack_unreachable" ? 503 : 400;
      sendHtml(
        res,
        status,
        bareLayout(
          "Sign-in refused",
          html`<h1>Sign-in refused</h1>
            <p role="alert">${err.message}</p>
            <p><a href="/app/login">Sign in with Slack</a></p>`,
        ),
        {
          "set-cookie": clearLogin,
        },
      );
    }
  });

  const logout = guarded(async (req, res) => {
    const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    const session = await readSession(ctx, token);
    if (!session || !token) return redirect(res, 303, "/app/login");
    // CSRF: a form we rendered carries the session's token; another site's form has neither it nor our Origin.
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== publicOrigin && origin !== "null") {
      return messagePage(res, 403, "Refused", "This form was sent from another site.", false);
    }
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/x-www-form-urlencoded") {
      return messagePage(res, 415, "Refused", "Send the sign-out form (application/x-www-form-urlencoded).", false);
    }
    const { body, tooLarge } = await readBodyCapped(req, 8192);
    if (tooLarge) return messagePage(res, 413, "Refused", "The form is too large.", false);
    const form = new URLSearchParams(body.toString("utf8"));
    const csrf = form.get("csrf") ?? "";
    if (!sameSecret(csrf, session.csrfToken)) {
      return messagePage(
        res,
        403,
        "Refused",
        "The form is out of date or did not come from this site; reload the page and try again.",
        false,
      );
    }
    await revokeSession(ctx, token, form.get("everywhere") === "1");
    redirect(res, 303, "/app/signed-out", {
      "set-cookie": cookie(SESSION_COOKIE, "", "/app", 0),
    });
  });

  const signedOut = (_req: IncomingMessage, res: ServerResponse) =>
    sendHtml(
      res,
      200,
      bareLayout(
        "Signed out",
        html`<h1>Signed out</h1>
          <p>You are signed out.</p>
          <p><a href="/app/login">Sign in with Slack</a></p>`,
      ),
    );

  const incidents = guarded(async (req, res) => {
    const session = await signedIn(req, res);
    if (!session) return;
    const query = Object.fromEntries(queryOf(req));
    const parsed = IncidentFiltersSchema.safeParse(query);
    const paged = ListPageSchema.safeParse(query);
    const bad = !parsed.success ? parsed.error : !paged.success ? paged.error : null;
    if (bad || !parsed.success || !paged.success) {
      const issue = bad!.issues[0]!;
      return messagePage(res, 400, "Bad filter", `${String(issue.path[0])}: ${issue.message}`, false);
    }
    const f = parsed.data;
    // Only the private incidents the filters match need a membership answer; the query then leaves out the rest,
    // so neither the rows nor the counts show a private incident to someone outside its channel.
    const privateChannels = await privateCache.get(JSON.stringify(f), () => privateIncidentChannels(ctx, f));
    const visible = await access.memberOf(privateChannels, session.userId);
    const body = await listCache.get(JSON.stringify([f, paged.data, visible]), async () => {
      const [page, counts, models] = await Promise.all([
        listIncidentPage(ctx, f, visible, paged.data),
        countIncidents(ctx, f, visible),
        modelsCache.get("models", () => incidentModels(ctx)),
      ]);
      return incidentListBody(ctx.config.timezone, page, counts, f, models);
    });
    sendHtml(res, 200, renderIncidentList(envFor(session).viewer, body));
  });

  const incident = guarded(async (req, res) => {
    const session = await signedIn(req, res);
    if (!session) return;
    // The raw segment must be exactly INC-<n>: encoded slashes, dots and the like are simply not found.
    const m = /^\/app\/incidents\/INC-([1-9][0-9]{0,8})$/.exec(pathOf(req));
    const inc = m ? await loadIncidentPage(ctx, Number(m[1])) : null;
    if (!inc || !(await access.maySee(inc, session.userId))) return notFound(res, session);
    sendHtml(res, 200, renderIncident(envFor(session), inc));
  });

  const gates = guarded(async (req, res) => {
    const session = await signedIn(req, res);
    if (!session) return;
    sendHtml(res, 200, renderGateList(envFor(session), await listGatesForWeb(ctx)));
  });

  const gate = guarded(async (req, res) => {
    const session = await signedIn(req, res);
    if (!session) return;
    const m = /^\/app\/gates\/G-([1-9][0-9]{0,8})$/.exec(pathOf(req));
    const page = m ? await loadGatePage(ctx, Number(m[1])) : null;
    if (!page) return notFound(res, session);
    sendHtml(res, 200, renderGate(envFor(session), page));
  });

  const stats = guarded(async (req, res) => {
    const session = await signedIn(req, res);
    if (!session) return;
    const format = queryOf(req).get("format");
    if (format !== null && format !== "csv" && format !== "html") {
      return messagePage(res, 400, "Bad format", `format must be csv or html, got "${format.slice(0, 40)}"`, false);
    }
    const { body, csv } = await statsCache.get(`stats:${Math.floor(ctx.clock.now().getTime() / 60_000)}`, async () => {
      const s = await loadWebStats(ctx);
      return { body: statsBody(s), csv: statsCsv(s) };
    });
    if (format === "csv") {
      res.writeHead(200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="incident-stats.csv"',
        "content-length": String(Buffer.byteLength(csv)),
        "cache-control": "no-store",
        ...SECURITY_HEADERS,
      });
      res.end(csv);
      return;
    }
    sendHtml(res, 200, renderStats(envFor(session).viewer, body));
  });

  const assets = (req: IncomingMessage, res: ServerResponse) => {
    const name = pathOf(req).slice("/app/assets/".length);
    const a = webAssets().get(name);
    if (!a) return notFound(res, null);
    const headers = { "content-type": a.type, etag: a.etag, "cache-control": "public, max-age=3600", "x-content-type-options": "nosniff" };
    if (req.headers["if-none-match"] === a.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, "content-length": String(a.body.length) });
    res.end(req.method === "HEAD" ? undefined : a.body);
  };

  const home = (_req: IncomingMessage, res: ServerResponse) => redirect(res, 302, "/app/incidents");
  const GET = ["GET", "HEAD"];
  return [
    { path: "/app", method: GET, handler: home },
    { path: "/app/", method: GET, handler: home },
    { path: "/app/login", method: GET, handler: login },
    { path: "/app/callback", method: GET, handler: callback },
    { path: "/app/logout", method: ["POST"], handler: logout },
    { path: "/app/signed-out", method: GET, handler: signedOut },
    { path: "/app/incidents", method: GET, handler: incidents },
    { path: "/app/incidents/*", method: GET, handler: incident },
    { path: "/app/gates", method: GET, handler: gates },
    { path: "/app/gates/*", method: GET, handler: gate },
    { path: "/app/stats", method: GET, handler: stats },
    { path: "/app/assets/*", method: GET, handler: assets },
  ];
}
