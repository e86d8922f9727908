import type { Config } from "../config.js";

/** The automatic stakeholder-update cadence by severity; P3/P4 get no automatic posts. */
export function cadenceSeconds(config: Config, severity: string): number | null {
  if (severity === "P1") return config.updateCadence.P1;
  if (severity === "P2") return config.updateCadence.P2;
  return null;
}

/** When the next update is promised: the cadence, or (P3/P4) the P2 cadence as a courtesy promise. */
export function nextUpdateSeconds(config: Config, severity: string): number {
  return cadenceSeconds(config, severity) ?? config.updateCadence.P2;
}
