import { Feed } from "feed";
import type { PublicPage } from "./public-status.js";
import { escapeHtml } from "./render-page.js";
import { maintenanceUpdates } from "./summary-json.js";

const STATUS_WORD: Record<string, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
  scheduled: "Maintenance scheduled",
  in_progress: "Maintenance in progress",
  completed: "Maintenance completed",
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
  // One entry per published update, and one per step a maintenance took (scheduled, in progress, completed).
  const entries = [
    ...page.recent.flatMap((inc) =>
      inc.updates.map((u) => ({
        at: u.at,
        order: u.eventId,
        title: `${STATUS_WORD[u.status]}: ${inc.name}`,
        link: `${base}/incidents/${inc.id}`,
        id: `${base}/incidents/${inc.id}#update-${u.eventId}`,
        body: u.body,
      })),
    ),
    ...page.maintenance.flatMap((m) =>
      maintenanceUpdates(m).map((u) => ({
        at: u.at,
        order: 0,
        title: `${STATUS_WORD[u.status]}: ${m.name}`,
        link: `${base}#maintenance-${m.id}`,
        id: `${base}/maintenance/${m.id}#${u.key}`,
        body: u.body,
      })),
    ),
  ];
  entries.sort((a, b) => b.at.getTime() - a.at.getTime() || b.order - a.order);
  for (const e of entries) {
    feed.addItem({
      // The library writes title and content as type="html" CDATA: escaped here, so published markup stays text.
      title: escapeHtml(e.title),
      id: e.id,
      link: e.link,
      date: e.at,
      published: e.at,
      content: escapeHtml(e.body).replace(/\n/g, "<br>"),
    });
  }
  return feed.atom1();
}
