import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";

export type CappedBody = { body: Buffer; tooLarge: boolean };

/** Past the limit the rest of a body is read and dropped up to this many bytes, so the 413 reaches the sender. */
export const DRAIN_LIMIT_BYTES = 64 * 1_048_576;

/**
 * Reads a request body, keeping at most `limit` bytes. A body over the limit (by its Content-Length, or as it
 * arrives) resolves at once with `tooLarge`; the rest is then read and dropped, so the sender can finish
 * writing and read the 413 instead of a reset connection. A sender that goes on past the drain limit is cut.
 * Rejects when the sender goes away mid-body.
 */
export function readBodyCapped(req: IncomingMessage | Readable, limit: number, drainLimit = DRAIN_LIMIT_BYTES): Promise<CappedBody> {
  return new Promise((resolve, reject) => {
    const declared = Number((req as IncomingMessage).headers?.["content-length"]);
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (done) {
        if (size > limit + drainLimit) req.destroy();
        return;
      }
      if (size > limit) return tooLarge();
      chunks.push(buf);
    };
    const tooLarge = () => {
      done = true;
      chunks.length = 0;
      resolve({ body: Buffer.alloc(0), tooLarge: true });
    };
    const onEnd = () => {
      if (done) return;
      done = true;
      resolve({ body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), tooLarge: false });
    };
    req.on("data", onData);
    req.once("end", onEnd);
    req.on("error", (error) => {
      if (done) return; // the answer is decided; a late reset of a drained body is nobody's concern
      done = true;
      reject(error);
    });
    req.once("aborted", () => {
      if (!done) {
        done = true;
        reject(new Error("request aborted"));
      }
    });
    if (Number.isFinite(declared) && declared > limit) tooLarge();
  });
}
