import { z } from "zod";
import { AlertmanagerAlertSchema, webhookSchemas } from "./alertmanager.js";

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

export const { envelope: GrafanaEnvelopeSchema, payload: GrafanaPayloadSchema } = webhookSchemas(
  { orgId: z.number().optional(), title: z.string().optional(), message: z.string().optional(), state: z.string().optional() },
  GrafanaAlertSchema,
  { title: "GrafanaWebhook", description: "Grafana unified alerting webhook contact point payload (version 1)" },
);

export type GrafanaAlert = z.output<typeof GrafanaAlertSchema>;
export type GrafanaEnvelope = z.output<typeof GrafanaEnvelopeSchema>;
