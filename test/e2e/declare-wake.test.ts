import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declareAndProvision, type Harness, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

// JOB_POLL_SECONDS at its maximum: a provision job found only at the worker's next poll would wait up to a minute,
// past declareAndProvision's 15 s. The declaration wakes this process's provision worker once it has committed.
describe.each(kinds)("a declaration wakes the provision worker (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { env: { JOB_POLL_SECONDS: "60" } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("the channel is set up at once, not at the next poll a minute later", async () => {
    // Let the worker's first (empty) fetch pass, so it is napping when the declaration comes.
    await new Promise((r) => setTimeout(r, 500));
    const inc = await declareAndProvision(h, "P2 Woken provision worker");
    expect(inc.channelId).toBeTruthy();
    expect(h.fake.callsTo("conversations.create").filter((c) => c.args.name === inc.channelName)).toHaveLength(1);
    expect(h.fake.callsTo("pins.add").filter((c) => c.args.channel === inc.channelId)).toHaveLength(2);
  });
});
