import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { componentsFor, parseStatusPage } from "../../src/status/page-file.js";

const base = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" };
const dir = mkdtempSync(join(tmpdir(), "status-file-"));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const errorOf = (env: Record<string, string>) => {
  try {
    loadConfig({ ...base, ...env });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
};

describe("STATUS_PAGE_FILE and the Statuspage settings", () => {
  it("without a file: one component, Service; the mirror off", () => {
    const c = loadConfig(base);
    expect(c.statusPage.title).toBe("Status");
    expect(c.statusPage.components.map((x) => [x.id, x.name])).toEqual([["service", "Service"]]);
    expect(c.statuspage).toBeUndefined();
  });

  it("reads YAML and JSON, with the Statuspage mirror settings", () => {
    const yml = file("ok.yml", "title: Acme\ncomponents:\n  - id: api\n    name: API\n    statuspageId: abc\n    services: [scoring]\n");
    const c = loadConfig({ ...base, STATUS_PAGE_FILE: yml, STATUSPAGE_API_KEY: "k", STATUSPAGE_PAGE_ID: "p1" });
    expect(c.statusPage.title).toBe("Acme");
    expect(c.statusPage.components[0]).toMatchObject({ id: "api", statuspageId: "abc", services: ["scoring"], models: [] });
    expect(c.statuspage).toEqual({ apiKey: "k", pageId: "p1", apiUrl: "https://api.statuspage.io/v1", minIntervalMs: 1000 });
    const json = file("ok.json", JSON.stringify({ components: [{ id: "web", name: "Web" }] }));
    expect(loadConfig({ ...base, STATUS_PAGE_FILE: json }).statusPage.components[0]!.name).toBe("Web");
  });

  it("a bad file is one line naming the file, the entry and the field", () => {
    const cases: [string, RegExp][] = [
      [
        "components:\n  - id: api\n    name: API\n  - id: Bad Id\n    name: X\n",
        /bad\.yml: components\[1\] \(Bad Id\) field id: must be a short lowercase id/,
      ],
      ["components:\n  - id: api\n", /components\[0\] \(api\) field name: /],
      ["components:\n  - id: api\n    name: API\n    colour: red\n", /components\[0\] \(api\): unknown field\(s\) colour/],
      ["components:\n  - id: api\n    name: A\n  - id: api\n    name: B\n", /components\[1\] \(api\) field id: listed twice/],
      ["components: []\n", /components: must list at least one component/],
      ["title: [unclosed\n", /bad\.yml: cannot parse/],
    ];
    for (const [text, re] of cases) {
      const msg = errorOf({ STATUS_PAGE_FILE: file("bad.yml", text) });
      expect(msg).toMatch(/^Invalid configuration: STATUS_PAGE_FILE /);
      expect(msg).toMatch(re);
      expect(msg).not.toContain("\n");
    }
    expect(errorOf({ STATUS_PAGE_FILE: join(dir, "missing.yml") })).toMatch(/missing\.yml: cannot read: ENOENT/);
  });

  it("the mirror needs both key and page; bad URLs are named", () => {
    expect(errorOf({ STATUSPAGE_API_KEY: "k" })).toMatch(/STATUSPAGE_PAGE_ID is required with STATUSPAGE_API_KEY/);
    expect(errorOf({ STATUSPAGE_PAGE_ID: "p" })).toMatch(/STATUSPAGE_API_KEY is required with STATUSPAGE_PAGE_ID/);
    expect(errorOf({ STATUSPAGE_API_KEY: "k", STATUSPAGE_PAGE_ID: "p", STATUSPAGE_API_URL: "nope" })).toMatch(
      /STATUSPAGE_API_URL must be an http\(s\) URL/,
    );
    expect(errorOf({ STATUS_PAGE_URL: "status" })).toMatch(/STATUS_PAGE_URL must be the page's public http\(s\) URL/);
  });

  it("maps an incident's service or model onto components; a one-component page takes every incident", () => {
    const s = parseStatusPage(
      "components:\n  - id: api\n    name: API\n    services: [scoring-api]\n  - id: crm\n    name: CRM\n    models: [lead-scoring]\n",
      "s.yml",
    );
    expect(componentsFor(s, "scoring-api", null)).toEqual(["api"]);
    expect(componentsFor(s, null, "lead-scoring")).toEqual(["crm"]);
    expect(componentsFor(s, "other", null)).toEqual([]);
    expect(componentsFor(parseStatusPage("components:\n  - id: x\n    name: X\n", "o.yml"), "other", null)).toEqual(["x"]);
  });
});
