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

  it("grants each bot scope for a Web API method the gateway calls, or an event it subscribes to, and no other", () => {
    // Slack's method reference: the bot scopes each method needs (public and private channels alike).
    const METHOD_SCOPES: Record<string, string[]> = {
      "auth.test": [],
      "chat.postMessage": ["chat:write", "chat:write.public"], // .public: post in a public channel without joining it
      "chat.update": ["chat:write"],
      "chat.postEphemeral": ["chat:write"],
      "chat.getPermalink": [],
      "conversations.archive": ["channels:manage", "groups:write"],
      "conversations.create": ["channels:manage", "groups:write"],
      "conversations.invite": ["channels:manage", "groups:write"],
      "conversations.setTopic": ["channels:manage", "groups:write"],
      "conversations.list": ["channels:read", "groups:read"],
      "conversations.members": ["channels:read", "groups:read"],
      "conversations.history": ["channels:history", "groups:history", "metadata.message:read"], // include_all_metadata
      "conversations.replies": ["channels:history", "groups:history"],
      "conversations.open": ["im:write"],
      "files.getUploadURLExternal": ["files:write"],
      "files.completeUploadExternal": ["files:write"],
      "pins.add": ["pins:write"],
      "bookmarks.add": ["bookmarks:write"],
      "bookmarks.list": ["bookmarks:read"],
      "views.open": [],
      "views.publish": [],
      "users.info": ["users:read"],
      "users.lookupByEmail": ["users:read", "users:read.email"], // users:read.email needs users:read beside it
    };
    const EVENT_SCOPES: Record<string, string[]> = {
      app_home_opened: [],
      pin_added: ["pins:read"],
      reaction_added: ["reactions:read"],
      member_joined_channel: ["channels:read", "groups:read"],
    };
    const gateway = readFileSync(new URL("../../src/slack/gateway.ts", import.meta.url), "utf8");
    const called = [...new Set([...gateway.matchAll(/this\.call\(\s*"([a-zA-Z.]+)"/g)].map((m) => m[1]!))];
    expect(called.length).toBeGreaterThan(10);
    const unknown = called.filter((m) => !(m in METHOD_SCOPES));
    expect(unknown, "a method the gateway calls has no scope entry here: add it from Slack's docs").toEqual([]);
    const events: string[] = manifest.settings.event_subscriptions.bot_events;
    const needed = new Set(["commands", ...called.flatMap((m) => METHOD_SCOPES[m]!), ...events.flatMap((e) => EVENT_SCOPES[e] ?? [])]);
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    expect(
      [...needed].filter((s) => !scopes.includes(s)),
      "scopes the calls need but the manifest lacks",
    ).toEqual([]);
    expect(
      scopes.filter((s) => !needed.has(s)),
      "granted but unused scopes",
    ).toEqual([]);
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
