/** Demo part: publish a plain-language update and read it back from the public status page. */
export async function demoStatusPage(appUrl: string, publish: (text: string) => Promise<unknown>): Promise<void> {
  await publish("Some lead scores were out of date for about 40 minutes. They are correct again and we are monitoring.");
  const summary = (await (await fetch(`${appUrl}/status/summary.json`)).json()) as {
    status: { description: string };
    incidents: { id: string; incident_updates: { body: string }[] }[];
  };
  console.log(`\x1b[1mPublic status page:\x1b[0m ${appUrl}/status — ${summary.status.description}`);
  for (const inc of summary.incidents) console.log(`  ${appUrl}/status/incidents/${inc.id}: ${inc.incident_updates[0]?.body ?? ""}`);
}
