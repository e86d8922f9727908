import type { ChatPort } from "../../chat/port.js";
import { userNames } from "../../chat/user-names.js";

const MENTION = /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g;

/**
 * For text that leaves Slack's renderer (an uploaded Markdown file): `<@U123>` becomes `@Kim Lee`, the name
 * from users.info (cached by the gateway); a user Slack does not know, or a failed lookup, becomes `@U123`.
 */
export async function resolveMentions(chat: Pick<ChatPort, "userName">, text: string): Promise<string> {
  const ids = [...text.matchAll(MENTION)].map((m) => m[1]!);
  if (ids.length === 0) return text;
  const names = await userNames(chat, ids);
  return text.replace(MENTION, (_, id: string, label: string | undefined) => `@${names.get(id) ?? label ?? id}`);
}
