import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";

interface DraftSource {
  id: number;
  title: string;
  severity: string;
  status: string;
  summary: string | null;
  service: string | null;
  userFacing: boolean;
  rootCause: string | null;
  detectedAt: Date;
}

const STATUS_LINE: Record<string, string> = {
  investigating: "The team is investigating; the cause is not known yet.",
  identified: "The cause has been identified and a fix is in progress.",
  mitigated: "The impact has been mitigated; we are monitoring before closing the incident.",
  resolved: "The incident is resolved.",
};

/** A plain-language product/business update drafted from the incident's state, for the comms owner to send or edit. */
export function draftProductUpdate(inc: DraftSource, nextUpdateAt: Date, timezone: string): string {
  const since = format(new TZDate(inc.detectedAt, timezone), "HH:mm");
  const affected = inc.service ? `${inc.service} is affected` : "A production ML system is affected";
  const users = inc.userFacing ? " End users may notice the problem." : " We have no sign that end users are affected.";
  const lines = [
    `${affected} since ${since} ${timezone}: ${inc.title}.${users}`,
    inc.summary ? `What we know: ${inc.summary}` : null,
    inc.rootCause ? `Cause: ${inc.rootCause}` : null,
    STATUS_LINE[inc.status] ?? `Status: ${inc.status}.`,
    `Next update by ${format(new TZDate(nextUpdateAt, timezone), "HH:mm")} ${timezone}.`,
  ];
  return lines.filter(Boolean).join("\n");
}
