import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";

/** Does a PostgreSQL server answer at this URL within 2 s? (No vitest import: the benchmarks use it too.) */
export async function pgReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ ...(parseIntoClientConfig(url) as pg.ClientConfig), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
