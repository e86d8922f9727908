import { Feed } from "feed";
import type { PublicPage } from "./public-status.js";
import { escapeHtml } from "./render-page.js";

const STATUS_WORD: Record<string, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};

/**
 * Atom 1.0, one entry per published update (newest first), built by the `feed` library (which escapes).
 * `base` is the page's absolute URL (…/status): feed readers need absolute links and stable ids.
 */
export function historyFeed(page: PublicPage, base: string): string {
  const feed = new Feed({
    title: `${page.title} — incident history`,
    id: `${base}/history.atom`,
    link: base,
    updated: page.lastChange ?? page.now,
    feedLinks: { atom: `${base}/history.atom` },
    generator: "incident bot status page",
    copyright: page.title,
  });
  const entries = page.recent.flatMap((inc) => inc.updates.map((u) => ({ inc, u })));
  entries.sort((a, b) => b.u.at.getTime() - a.u.at.getTime() || b.u.eventId - a.u.eventId);
  for (const { inc, u } of entries) {
    const link = `${base}/incidents/${inc.id}`;
    feed.addItem({
      // The library writes title and content as type="html" CDATA: escaped here, so published markup stays text.
      title: escapeHtml(`${STATUS_WORD[u.status]}: ${inc.name}`),
      id: `${link}#update-${u.eventId}`,
      link,
      date: u.at,
      published: u.at,
      content: escapeHtml(u.body).replace(/\n/g, "<br>"),
    });
  }
  return feed.atom1();
}
