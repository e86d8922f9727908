import nodemailer from "nodemailer";
import type { MailConfig } from "../config.js";

/** The one place that talks SMTP. Non-pooled: each send opens its own connection, so nothing stays open at shutdown. */
type Transport = ReturnType<typeof nodemailer.createTransport>;
const transports = new Map<string, Transport>();

function transportFor(url: string): Transport {
  let t = transports.get(url);
  if (!t) {
    // Short timeouts: a relay that hangs fails the attempt and the job retries it later, instead of holding a worker.
    t = nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never);
    transports.set(url, t);
  }
  return t;
}

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Our own Message-ID, the same on every attempt (mail clients fold a duplicate delivery into one). */
  messageId: string;
}

/** Sends one email; throws what the relay said (or that it could not be reached). */
export async function sendMail(config: MailConfig, mail: OutgoingMail): Promise<{ accepted: string[]; response: string }> {
  const info = await transportFor(config.url).sendMail({
    from: config.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
  });
  return { accepted: (info.accepted ?? []).map(String), response: String(info.response ?? "") };
}

/** A send error in words for the channel: what the relay answered, or why it could not be reached. */
export function describeMailError(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  if (e?.responseCode) return `the mail server refused it (${e.responseCode}: ${oneLine(e.response ?? e.message ?? "")})`;
  switch (e?.code) {
    case "ECONNREFUSED":
      return "the mail server refused the connection";
    case "ETIMEDOUT":
      return "the mail server did not answer in time";
    case "EAUTH":
      return "the mail server did not accept the SMTP_URL user name and password";
    case "ECONNECTION":
    case "ECONNRESET":
    case "ESOCKET":
      return `the connection to the mail server was lost (${oneLine(e.message ?? "")})`;
    case "EDNS":
      return "the mail server's host name could not be resolved";
    default:
      return oneLine(e?.message ?? String(err));
  }
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim().slice(0, 300);
