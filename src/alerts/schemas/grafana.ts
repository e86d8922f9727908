import { z } from "zod";
import { AlertmanagerAlertSchema, sharedEnvelopeFields, webhookSchemas } from "./alertmanager.js";

/** One alert of a Grafana webhook contact point: the Alertmanager alert plus Grafana's extras. */
export const GrafanaAlertSchema = AlertmanagerAlertSchema.extend({
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
  ...sharedEnvelopeFields,
  orgId: z.number().optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  state: z.string().optional(),
};

const schemas = webhookSchemas(envelopeFields, GrafanaAlertSchema, {
  title: "GrafanaWebhook",
  description: "Grafana unified alerting webhook contact point payload (version 1)",
});
export const GrafanaEnvelopeSchema = schemas.envelope;
export const GrafanaPayloadSchema = schemas.payload;

export type GrafanaAlert = z.output<typeof GrafanaAlertSchema>;
export type GrafanaEnvelope = z.output<typeof GrafanaEnvelopeSchema>;
