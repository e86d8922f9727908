/** Slack's documented deep link to a channel (opens the app or the browser); with the team id when it is known. */
export function channelLink(channelId: string, teamId: string | undefined): string {
  const q = new URLSearchParams(teamId ? { team: teamId, channel: channelId } : { channel: channelId });
  return `https://slack.com/app_redirect?${q.toString()}`;
}
