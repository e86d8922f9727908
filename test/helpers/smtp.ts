import type { AddressInfo, Socket } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  parsed: ParsedMail;
}

/** What the next sessions do: accept, refuse (a 4xx at RCPT like a relay under load) or drop the connection mid-way. */
export type SmtpBehaviour = "accept" | "refuse" | "drop";

/**
 * A real SMTP server on 127.0.0.1 (smtp-server) that requires AUTH, parses every message with mailparser, and
 * can be told to refuse or drop the next N sessions. No TLS: STARTTLS is not offered, so the client sends plain.
 */
export async function startSmtp(opts: { user?: string; pass?: string } = {}) {
  const user = opts.user ?? "bot";
  const pass = opts.pass ?? "secret";
  const received: ReceivedMail[] = [];
  const plan: SmtpBehaviour[] = [];
  const sessions: SmtpBehaviour[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === user && auth.password === pass) cb(null, { user });
      else cb(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onRcptTo(_address, session, cb) {
      const b = (session as any).behaviour as SmtpBehaviour;
      if (b === "refuse") return cb(Object.assign(new Error("Try again later: too many connections"), { responseCode: 451 }));
      cb();
    },
    onMailFrom(_address, session, cb) {
      const b = plan.shift() ?? "accept";
      sessions.push(b);
      (session as any).behaviour = b;
      if (b === "drop") {
        // Hang up without an answer, as a relay that crashes or a middlebox that cuts the line does.
        sockets.get(session.remotePort)?.destroy();
        return;
      }
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((parsed) => {
          received.push({
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            parsed,
          });
          cb();
        })
        .catch(cb);
    },
  });
  // smtp-server does not hand the socket to its callbacks: find it by the client's port so "drop" can cut it.
  const sockets = new Map<number, Socket>();
  (server as any).server.on("connection", (s: Socket) => {
    const port = s.remotePort!;
    sockets.set(port, s);
    s.on("close", () => sockets.delete(port));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = ((server as any).server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://${user}:${pass}@127.0.0.1:${port}`,
    received,
    sessions,
    /** The next sessions behave so, in order; after them every session is accepted. */
    next(...behaviours: SmtpBehaviour[]) {
      plan.push(...behaviours);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
