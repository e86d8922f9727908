import type { ChatPort } from "./port.js";

/**
 * The names Slack shows for these users (users.info, cached by the gateway), for text read outside Slack. A user
 * Slack does not know, or a failed lookup, is left out: the caller keeps the id.
 */
export async function userNames(chat: Pick<ChatPort, "userName">, ids: Iterable<string>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(ids)) {
    const name = await chat.userName(id).catch(() => null);
    if (name) names.set(id, name);
  }
  return names;
}
