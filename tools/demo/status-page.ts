import { fileURLToPath } from "node:url";
import { type FakeStatuspage, startFakeStatuspage } from "../fake-statuspage/server.js";

/** A fake Atlassian Statuspage for the demo, and the settings that point the bot at it. */
export async function startDemoStatuspage(): Promise<{ fake: FakeStatuspage; env: Record<string, string> }> {
  const fake = await startFakeStatuspage({
    apiKey: "demo-statuspage-key",
    pageId: "demopage",
    components: { demoapi: "Scoring API", demoscores: "Lead scores" },
  });
  return {
    fake,
    env: {
      STATUS_PAGE_FILE: fileURLToPath(new URL("./status-page.yml", import.meta.url)),
      STATUSPAGE_API_KEY: "demo-statuspage-key",
      STATUSPAGE_PAGE_ID: "demopage",
      STATUSPAGE_API_URL: fake.apiUrl,
    },
  };
}

type Reply = { body?: { blocks?: any[] } } | undefined;

/**
 * Demo part: `/incident statuspage <text>` shows a preview; pressing Publish puts it on the public page and the
 * mirror sends it to (the fake) Atlassian Statuspage. Prints the page's URL and what it shows.
 */
export async function demoStatusPage(
  appUrl: string,
  preview: (text: string) => Promise<Reply>,
  press: (actionId: string, value: string) => Promise<unknown>,
  statuspage: FakeStatuspage,
): Promise<void> {
  const reply = await preview("Some lead scores were out of date for about 40 minutes. They are correct again and we are monitoring.");
  const button = reply?.body?.blocks?.find((b) => b.type === "actions")?.elements?.find((e: any) => e.action_id === "publish_status");
  if (!button) throw new Error("the status-page preview had no Publish button");
  console.log("  (pat checks the preview and presses [Publish])");
  await press(button.action_id, button.value);
  const summary = (await (await fetch(`${appUrl}/status/summary.json`)).json()) as {
    status: { description: string };
    components: { name: string; status: string }[];
    incidents: { id: string; name: string; incident_updates: { body: string }[] }[];
  };
  console.log(`\x1b[1mPublic status page:\x1b[0m ${appUrl}/status — ${summary.status.description}`);
  for (const c of summary.components) console.log(`  ${c.name}: ${c.status}`);
  for (const inc of summary.incidents)
    console.log(`  ${appUrl}/status/incidents/${inc.id} "${inc.name}": ${inc.incident_updates[0]?.body ?? ""}`);
  console.log(`  Atom feed: ${appUrl}/status/history.atom`);
  const deadline = Date.now() + 10_000;
  while (statuspage.incidents.size === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const remote = [...statuspage.incidents.values()][0];
  console.log(
    remote
      ? `  Mirrored to (fake) Atlassian Statuspage: ${remote.shortlink} "${remote.name}" (${remote.status}), ${statuspage.calls.length} API call(s)`
      : "  (the Statuspage mirror has not run yet)",
  );
}
