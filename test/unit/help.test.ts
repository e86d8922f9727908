import { describe, expect, it } from "vitest";
import { HELP_GROUPS, INCIDENT_USAGE, incidentHelpText } from "../../blocks/help.js";
import { incidentSubcommands } from "../../src/slack/commands/incident-table.js";

describe("/incident help", () => {
  it("opens with a short Start here, then groups every subcommand once, by phase", () => {
    const text = incidentHelpText();
    const start = text.indexOf("*Start here*");
    expect(start).toBeGreaterThan(0);
    expect(text.slice(start).split("\n\n")[0]!.split("\n").length).toBeLessThanOrEqual(5);
    const titles = HELP_GROUPS.map((g) => `*${g.title}*`);
    const at = titles.map((t) => text.indexOf(t));
    expect(at.every((i) => i > start)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const grouped = HELP_GROUPS.flatMap((g) => g.subcommands);
    expect(new Set(grouped).size).toBe(grouped.length);
    const optional = ["oncall", "page"];
    expect([...grouped].sort()).toEqual(
      Object.keys(INCIDENT_USAGE)
        .filter((k) => !optional.includes(k))
        .sort(),
    );
    for (const k of grouped) expect(text).toContain(INCIDENT_USAGE[k]);
    for (const k of optional) expect(text).not.toContain(INCIDENT_USAGE[k]);
  });

  it("lists what the command table runs, and the optional integrations in their phase when set up", () => {
    for (const k of Object.keys(incidentSubcommands)) expect(Object.keys(INCIDENT_USAGE)).toContain(k);
    const text = incidentHelpText({ anywhere: ["oncall"], inChannel: ["page"] });
    const group = (title: string) => text.split("\n\n").find((g) => g.startsWith(`*${title}*`))!;
    expect(group("Declare and look around")).toContain(INCIDENT_USAGE.oncall);
    expect(group("During the incident")).toContain(INCIDENT_USAGE.page);
  });
});
