// Building an Intl.DateTimeFormat costs far more than using one (it was most of a 200-row list's time): one per zone.
const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** A time to the minute in `timeZone`: "2026-11-23 09:10", with the zone's short name ("CET") when asked. */
export function localMinute(d: Date, timeZone: string, withZone = false): string {
  const parts = formatFor(timeZone).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  const local = `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
  return withZone ? `${local} ${get("timeZoneName")}` : local;
}
