import { z } from "zod";
import { TimestampSchema } from "./common.js";

const PagerDutySeveritySchema = z.enum(["critical", "error", "warning", "info"]);

const payloadFields = {
  timestamp: TimestampSchema.optional(),
  component: z.string().optional(),
  group: z.string().optional(),
  class: z.string().optional(),
  custom_details: z.unknown().optional(),
};

/** `payload` of a trigger: summary, source and severity are required by PagerDuty. */
const TriggerPayloadSchema = z.object({
  summary: z.string().min(1),
  source: z.string().min(1),
  severity: PagerDutySeveritySchema,
  ...payloadFields,
});

/** Alertmanager's PagerDuty notifier sends the full payload on resolve too, so keep it but require nothing. */
const LoosePayloadSchema = z.object({
  summary: z.string().optional(),
  source: z.string().optional(),
  severity: PagerDutySeveritySchema.optional(),
  ...payloadFields,
});

const commonFields = {
  routing_key: z.string(),
  images: z.array(z.object({ src: z.string(), href: z.string().optional(), alt: z.string().optional() })).optional(),
  links: z.array(z.object({ href: z.string(), text: z.string().optional() })).optional(),
  client: z.string().optional(),
  client_url: z.string().optional(),
};

const DedupKeySchema = z.string().min(1).max(255);

export const PagerDutyEventSchema = z
  .discriminatedUnion("event_action", [
    z.object({
      event_action: z.literal("trigger"),
      dedup_key: DedupKeySchema.optional(),
      payload: TriggerPayloadSchema,
      ...commonFields,
    }),
    z.object({
      event_action: z.enum(["acknowledge", "resolve"]),
      dedup_key: DedupKeySchema,
      payload: LoosePayloadSchema.optional(),
      ...commonFields,
    }),
  ])
  .meta({ title: "PagerDutyEvent", description: "PagerDuty Events API v2 event" });

export type PagerDutyEvent = z.output<typeof PagerDutyEventSchema>;
