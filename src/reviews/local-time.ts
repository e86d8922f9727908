import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";

/** `YYYY-MM-DD` of an instant on the calendar of `tz` (reminders are once per local day). */
export function localDay(at: Date, tz: string): string {
  return format(new TZDate(at.getTime(), tz), "yyyy-MM-dd");
}

export function localHour(at: Date, tz: string): number {
  return new TZDate(at.getTime(), tz).getHours();
}
