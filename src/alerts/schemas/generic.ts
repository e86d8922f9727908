import { z } from "zod";
import { MetricNumberSchema, StringMapSchema, TimestampSchema } from "./common.js";

export const MAX_GENERIC_ALERTS = 1000;

export const MetricSchema = z.object({
  name: z.string().min(1),
  value: MetricNumberSchema,
  baseline: MetricNumberSchema.optional(),
  std: MetricNumberSchema.optional(),
});

export const GenericAlertSchema = z
  .object({
    source: z.string().trim().min(1),
    title: z.string().trim().min(1),
    status: z.enum(["firing", "resolved"]).default("firing"),
    severity: z
      .string()
      // No `i` flag: JSON Schema patterns have none, and the OpenAPI document must accept what we accept.
      .regex(
        /^(critical|error|warning|info|Critical|Error|Warning|Info|CRITICAL|ERROR|WARNING|INFO|[Pp][1-4])$/,
        "expected critical, error, warning, info or P1..P4",
      )
      .optional(),
    description: z.string().optional(),
    fingerprint: z.string().min(1).optional(),
    model: z.string().optional(),
    service: z.string().optional(),
    feature: z.string().optional(),
    metric: MetricSchema.optional(),
    labels: StringMapSchema.optional(),
    annotations: StringMapSchema.optional(),
    links: z.array(z.object({ text: z.string().optional(), url: z.string() })).optional(),
    startsAt: TimestampSchema.optional(),
    endsAt: TimestampSchema.optional(),
  })
  .meta({ title: "GenericAlert", description: "The project's own alert, including ML metrics" });

export const GenericBatchEnvelopeSchema = z.object({ alerts: z.array(z.unknown()).max(MAX_GENERIC_ALERTS) });

export const GenericPayloadSchema = z
  .union([GenericAlertSchema, z.object({ alerts: z.array(GenericAlertSchema).max(MAX_GENERIC_ALERTS) })])
  .meta({ title: "GenericAlertPayload", description: "One generic alert, or { alerts: [...] } with up to 1000" });

export type GenericAlert = z.output<typeof GenericAlertSchema>;
export type Metric = z.output<typeof MetricSchema>;
