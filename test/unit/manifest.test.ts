import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/chat/ids.js";

const manifest = parse(readFileSync(new URL("../../manifest.yml", import.meta.url), "utf8"));

describe("manifest.yml", () => {
  it("declares exactly the slash commands the app handles, with escaped mentions", () => {
    const commands = manifest.features.slash_commands as { command: string; should_escape: boolean; url: string }[];
    expect(commands.map((c) => c.command).sort()).toEqual(Object.values(COMMANDS).sort());
    for (const c of commands) {
      expect(c.should_escape).toBe(true);
      expect(c.url).toMatch(/\/slack\/events$/);
    }
  });

  it("subscribes to the events the listeners use and grants the scopes the gateway's calls need", () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(["app_home_opened", "pin_added", "reaction_added", "member_joined_channel"]),
    );
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    for (const s of [
      "commands",
      "chat:write",
      "channels:manage",
      "groups:write",
      "pins:write",
      "pins:read",
      "reactions:read",
      "files:write",
      "im:write",
      "channels:history",
      "groups:history",
      "bookmarks:write", // bookmarks.add: the incident's links
      "bookmarks:read", // bookmarks.list: a bookmark added before a crash is found, not added twice
    ]) {
      expect(scopes).toContain(s);
    }
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it("every command in the manifest has a registered Bolt listener", async () => {
    const registered: string[] = [];
    const fakeApp = new Proxy(
      {},
      {
        get: (_t, prop) => (prop === "command" ? (name: string) => registered.push(name) : () => undefined),
      },
    );
    const { register: incident } = await import("../../src/slack/listeners/commands/incident.js");
    const { register: gate } = await import("../../src/slack/listeners/commands/gate.js");
    incident(fakeApp as never, {} as never);
    gate(fakeApp as never, {} as never);
    for (const c of manifest.features.slash_commands) expect(registered).toContain(c.command);
  });
});
