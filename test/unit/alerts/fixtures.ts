import { readFileSync } from "node:fs";

export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../fixtures/alerts/${name}`, import.meta.url), "utf8");
}

export function fixture(name: string): any {
  return JSON.parse(fixtureText(name));
}

export const FIXTURES = [
  "alertmanager-grouped.json",
  "alertmanager-resolved.json",
  "grafana-firing.json",
  "pagerduty-trigger.json",
  "pagerduty-acknowledge.json",
  "pagerduty-resolve.json",
  "generic-single.json",
  "generic-batch.json",
  "generic-unicode.json",
  "generic-long.json",
] as const;

export function routeOf(name: string): "alertmanager" | "grafana" | "pagerduty" | "generic" {
  return name.split("-")[0] as "alertmanager" | "grafana" | "pagerduty" | "generic";
}
