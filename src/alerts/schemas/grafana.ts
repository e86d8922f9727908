import { z } from "zod";
import { StringMapSchema, TimestampSchema } from "./common.js";

/** One alert of a Grafana webhook contact point: the Alertmanager alert plus Grafana's extras. */
export const GrafanaAlertSchema = z.object({
  status: z.enum(["firing", "resolved"]).optional(),
  labels: StringMapSchema.optional(),
  annotations: StringMapSchema.optional(),
  startsAt: TimestampSchema.optional(),
  endsAt: TimestampSchema.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  imageURL: z.string().optional(),
  ruleUID: z.string().optional(),
  orgId: z.number().optional(),
  // One entry per expression RefID; Grafana sends null for the whole map or for a single value.
  values: z.record(z.string(), z.number().nullable()).nullable().optional(),
  valueString: z.string().optional(),
});

const envelopeFields = {
  version: z.string().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  receiver: z.string().optional(),
  status: z.enum(["firing", "resolved"]).optional(),
  orgId: z.number().optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  state: z.string().optional(),
  groupLabels: StringMapSchema.optional(),
  commonLabels: StringMapSchema.optional(),
  commonAnnotations: StringMapSchema.optional(),
  externalURL: z.string().optional(),
};

export const GrafanaEnvelopeSchema = z.object({ ...envelopeFields, alerts: z.array(z.unknown()) });

export const GrafanaPayloadSchema = z
  .object({ ...envelopeFields, alerts: z.array(GrafanaAlertSchema) })
  .meta({ title: "GrafanaWebhook", description: "Grafana unified alerting webhook contact point payload (version 1)" });

export type GrafanaAlert = z.output<typeof GrafanaAlertSchema>;
export type GrafanaEnvelope = z.output<typeof GrafanaEnvelopeSchema>;
