import { z } from "zod";
import { StringMapSchema, TimestampSchema } from "./common.js";

/** One alert of an Alertmanager webhook (version 4). Unknown fields are ignored. */
export const AlertmanagerAlertSchema = z.object({
  status: z.enum(["firing", "resolved"]).optional(),
  labels: StringMapSchema.optional(),
  annotations: StringMapSchema.optional(),
  startsAt: TimestampSchema.optional(),
  endsAt: TimestampSchema.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

/** Envelope fields Alertmanager and Grafana (which sends the Alertmanager shape) have in common. */
const sharedEnvelopeFields = {
  version: z.string().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  receiver: z.string().optional(),
  status: z.enum(["firing", "resolved"]).optional(),
  groupLabels: StringMapSchema.optional(),
  commonLabels: StringMapSchema.optional(),
  commonAnnotations: StringMapSchema.optional(),
  externalURL: z.string().optional(),
};

/**
 * The two schemas of an Alertmanager-shaped webhook (Alertmanager's, Grafana's), whose envelope is the shared
 * fields plus the sender's own: the envelope only, whose alerts are checked one by one (a bad envelope fails the
 * whole request), and the full payload as documented (OpenAPI, types).
 */
export function webhookSchemas<F extends z.ZodRawShape, A extends z.ZodType>(
  own: F,
  alert: A,
  meta: { title: string; description: string },
) {
  const fields = { ...sharedEnvelopeFields, ...own };
  return {
    envelope: z.object({ ...fields, alerts: z.array(z.unknown()) }),
    payload: z.object({ ...fields, alerts: z.array(alert) }).meta(meta),
  };
}

export const { envelope: AlertmanagerEnvelopeSchema, payload: AlertmanagerPayloadSchema } = webhookSchemas(
  { notification_reason: z.string().optional() /* v0.32.0+ */, routeLabels: StringMapSchema.optional() /* v0.34.0+ */ },
  AlertmanagerAlertSchema,
  { title: "AlertmanagerWebhook", description: "Prometheus Alertmanager webhook_config payload (version 4)" },
);

export type AlertmanagerAlert = z.output<typeof AlertmanagerAlertSchema>;
export type AlertmanagerEnvelope = z.output<typeof AlertmanagerEnvelopeSchema>;
