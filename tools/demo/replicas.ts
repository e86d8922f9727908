/**
 * Demo part for several replicas (issue 13): what a load balancer asks (/readyz, /healthz), and where the
 * PostgreSQL-only machinery lives. The demo itself runs one process on PGlite; `npm run bench:replicas` runs
 * 1 and 3 replicas on PostgreSQL against the fake Slack enforcing the rate tiers.
 */
export async function showReplicaReadiness(appUrl: string, log: (line: string) => void): Promise<void> {
  const ready = await fetch(`${appUrl}/readyz`);
  const health = await fetch(`${appUrl}/healthz`);
  log(`GET /readyz → ${ready.status} ${await ready.text()}   GET /healthz → ${health.status} ${await health.text()}`);
  log(
    "Several replicas: run N copies on one PostgreSQL behind a load balancer probing /readyz (README: " +
      '"Several replicas on one PostgreSQL"); start-up DDL takes turns under an advisory lock, Slack pacing is ' +
      "shared in SlackRateBucket, Socket Mode deliveries are taken once in SlackDelivery.",
  );
}
