import type { Config } from "../config.js";

/** The web view's address of an incident or gate, for Slack messages; undefined unless the web view is on. */
export function webPageUrl(config: Config, page: { incidentId: number } | { gateId: number }): string | undefined {
  if (!config.web || !config.publicUrl) return undefined;
  return "incidentId" in page
    ? `${config.publicUrl}/app/incidents/INC-${page.incidentId}`
    : `${config.publicUrl}/app/gates/G-${page.gateId}`;
}
