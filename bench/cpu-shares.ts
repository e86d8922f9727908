/**
 * Where a benchmark's CPU goes on this machine (Linux /proc): the app processes, the PostgreSQL backends serving
 * them, this process (senders, proxy, fake Slack), everything else, and idle. Figures are % of one core, so a
 * 2-core machine has 200 %.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";

const HZ = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** utime + stime of a process in clock ticks, or undefined once it is gone. */
function procTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of proc(5), counted after "pid (comm) "
  } catch {
    return undefined;
  }
}

function postgresPids(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/comm`, "utf8").trim() === "postgres") pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** All CPUs: busy and total ticks since boot (/proc/stat's first line; idle and iowait count as not busy). */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const n = line.trim().split(/\s+/).slice(1).map(Number);
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - n[3]! - n[4]!, total };
}

/** The machine's load averages (1, 5, 15 minutes), as `uptime` prints them. */
export function loadAverage(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(", ");
}

export interface CpuShares {
  seconds: number;
  cores: number;
  /** % of one core, per app process. */
  apps: number[];
  /** The backends whose application_name is the benchmark's. */
  appPostgres: number;
  allPostgres: number;
  self: number;
  others: number;
  idle: number;
}

/**
 * Starts measuring; `stop()` returns the shares over the interval. `appName` is the application_name the apps'
 * DATABASE_URL carries, which tells their PostgreSQL backends from those of anyone else on the server.
 */
export async function measureCpu(appPids: number[], pgUrl: string, appName: string): Promise<{ stop(): Promise<CpuShares> }> {
  const client = new pg.Client(parseIntoClientConfig(pgUrl) as pg.ClientConfig);
  await client.connect();
  const backends = async () =>
    (await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [appName])).rows.map((r) => r.pid);
  const pgStart = new Map(postgresPids().map((p) => [p, procTicks(p) ?? 0]));
  const appBackendsStart = new Set(await backends());
  const appStart = appPids.map((p) => procTicks(p) ?? 0);
  const selfStart = process.cpuUsage();
  const machineStart = machineTicks();
  const t0 = performance.now();
  return {
    async stop() {
      const seconds = (performance.now() - t0) / 1000;
      const machine = machineTicks();
      const self = process.cpuUsage(selfStart);
      const apps = appPids.map((p, i) => (procTicks(p) ?? appStart[i]!) - appStart[i]!);
      const appBackends = new Set([...appBackendsStart, ...(await backends())]);
      await client.end();
      let allPg = 0;
      let appPg = 0;
      for (const pid of postgresPids()) {
        const used = (procTicks(pid) ?? 0) - (pgStart.get(pid) ?? 0);
        allPg += used;
        if (appBackends.has(pid)) appPg += used;
      }
      const cores = cpus().length;
      const pct = (ticks: number) => (100 * ticks) / HZ / seconds;
      const selfPct = (100 * (self.user + self.system)) / 1e6 / seconds;
      const busyPct = pct(machine.busy - machineStart.busy);
      const appsPct = apps.map(pct);
      return {
        seconds,
        cores,
        apps: appsPct,
        appPostgres: pct(appPg),
        allPostgres: pct(allPg),
        self: selfPct,
        others: Math.max(0, busyPct - appsPct.reduce((a, b) => a + b, 0) - pct(allPg) - selfPct),
        idle: Math.max(0, 100 * cores - busyPct),
      };
    },
  };
}

export function formatCpu(c: CpuShares): string {
  const f = (x: number) => `${x.toFixed(0)} %`;
  const apps = c.apps.reduce((a, b) => a + b, 0);
  return (
    `CPU over ${c.seconds.toFixed(1)} s (100 % = one core, ${c.cores} cores = ${100 * c.cores} %): ` +
    `app ${f(apps)}${c.apps.length > 1 ? ` (${c.apps.map(f).join(" + ")})` : ""}, ` +
    `its PostgreSQL backends ${f(c.appPostgres)} (all PostgreSQL ${f(c.allPostgres)}), ` +
    `bench process (senders, proxy, fake Slack) ${f(c.self)}, everything else ${f(c.others)}, idle ${f(c.idle)}`
  );
}
