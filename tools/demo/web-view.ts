// Demo part (issue 17): the web view. The demo signs in through the fake Slack's authorize page like a browser
// would, reads the incident list and one incident, and prints a sign-in link that works while the demo runs.
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET } from "../fake-slack/openid.js";

export { freePort } from "../free-port.js";

/** The web view's settings against the fake Slack. */
export function webEnv(port: number, fakeBaseUrl: string): Record<string, string> {
  return {
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SLACK_CLIENT_ID: FAKE_CLIENT_ID,
    SLACK_CLIENT_SECRET: FAKE_CLIENT_SECRET,
    SLACK_OAUTH_URL: `${fakeBaseUrl}openid/connect/authorize`,
  };
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#(\d+);/g, (_m, n) => String.fromCharCode(Number(n)))
    .replace(/\s+/g, " ")
    .trim();

/** Signs in as `userId` (login → the fake's authorize form → callback) and shows what the pages say. */
export async function demoWebView(appUrl: string, userId: string, incidentRef: string, print: (line: string) => void): Promise<void> {
  const login = await fetch(`${appUrl}/app/login?next=${encodeURIComponent(`/app/incidents/${incidentRef}`)}`, { redirect: "manual" });
  const loginCookie = login.headers.getSetCookie()[0]!.split(";")[0]!;
  const authorize = login.headers.get("location")!;
  const allow = await fetch(authorize, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ user: userId, team: "T0001" }).toString(),
  });
  const callback = await fetch(allow.headers.get("location")!, { redirect: "manual", headers: { cookie: loginCookie } });
  const session = callback.headers
    .getSetCookie()
    .find((c) => c.startsWith("incident_session="))!
    .split(";")[0]!;
  print(
    `signed in as ${userId} through ${new URL(authorize).origin}/openid/connect/authorize → ${callback.status} ${callback.headers.get("location")}`,
  );
  const page = await (await fetch(`${appUrl}${callback.headers.get("location")}`, { headers: { cookie: session } })).text();
  const h1 = /<h1>([\s\S]*?)<\/h1>/.exec(page)?.[1] ?? "";
  print(`${appUrl}/app/incidents/${incidentRef}: "${text(h1)}" (${Buffer.byteLength(page)} bytes, playbook, clocks, timeline, review)`);
  const csv = await (await fetch(`${appUrl}/app/stats?format=csv`, { headers: { cookie: session } })).text();
  print(
    `${appUrl}/app/stats?format=csv: ${csv.split("\r\n").length - 2} data rows, this week ${csv
      .split("\r\n")
      .filter((l) => l.startsWith("mtta_minutes"))
      .at(-1)}`,
  );
  const signedOut = await fetch(`${appUrl}/app/incidents`, { redirect: "manual" });
  print(`signed out: ${appUrl}/app/incidents → ${signedOut.status} ${signedOut.headers.get("location")}`);
}
