import { describe, expect, it } from "vitest";
import { startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

describe.each(kinds)("GET /readyz (%s)", (kind) => {
  it("answers 200 once migrations and the job queue are up, 503 once the app is stopping; /healthz stays liveness", async () => {
    const h = await startHarness(kind);
    try {
      const ready = await fetch(`${h.appUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready" });
      // The queue really is up: its tables answer.
      await expect(h.app.ctx.jobs.boss.getQueues()).resolves.not.toHaveLength(0);
      // What stop() sets first: a load balancer takes the replica out while its work finishes.
      h.app.ctx.jobs.draining = true;
      const stopping = await fetch(`${h.appUrl}/readyz`);
      expect(stopping.status).toBe(503);
      expect(await stopping.json()).toEqual({ status: "stopping" });
      expect((await fetch(`${h.appUrl}/healthz`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
