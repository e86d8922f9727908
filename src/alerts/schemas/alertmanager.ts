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
export const sharedEnvelopeFields = {
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

const envelopeFields = {
  ...sharedEnvelopeFields,
  notification_reason: z.string().optional(), // v0.32.0+
  routeLabels: StringMapSchema.optional(), // v0.34.0+
};

/** The envelope only: a bad envelope fails the whole request; alerts are checked one by one. */
export const AlertmanagerEnvelopeSchema = z.object({ ...envelopeFields, alerts: z.array(z.unknown()) });

/** The full payload as documented (used for OpenAPI and types). */
export const AlertmanagerPayloadSchema = z
  .object({ ...envelopeFields, alerts: z.array(AlertmanagerAlertSchema) })
  .meta({ title: "AlertmanagerWebhook", description: "Prometheus Alertmanager webhook_config payload (version 4)" });

export type AlertmanagerAlert = z.output<typeof AlertmanagerAlertSchema>;
export type AlertmanagerEnvelope = z.output<typeof AlertmanagerEnvelopeSchema>;
