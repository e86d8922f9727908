import { z } from "zod";
import { AlertmanagerPayloadSchema } from "./schemas/alertmanager.js";
import { GenericPayloadSchema } from "./schemas/generic.js";
import { GrafanaPayloadSchema } from "./schemas/grafana.js";
import { PagerDutyEventSchema } from "./schemas/pagerduty.js";

const ROUTES = [
  { route: "alertmanager", schema: AlertmanagerPayloadSchema, summary: "Prometheus Alertmanager webhook (version 4)" },
  { route: "grafana", schema: GrafanaPayloadSchema, summary: "Grafana alerting webhook contact point" },
  { route: "pagerduty", schema: PagerDutyEventSchema, summary: "PagerDuty Events API v2 event" },
  { route: "generic", schema: GenericPayloadSchema, summary: "The project's own JSON alert (one, or up to 1000)" },
] as const;

/** Request schema generated from the zod schema, as the sender writes it (input side of transforms). */
function requestSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return json;
}

const ISSUE = {
  type: "object",
  required: ["path", "message"],
  properties: {
    path: { type: "string", description: "dotted path, e.g. alerts.0.labels" },
    message: { type: "string" },
  },
};

const ERROR = {
  type: "object",
  required: ["error"],
  properties: { error: { type: "string" }, issues: { type: "array", items: { $ref: "#/components/schemas/Issue" } } },
};

const ACCEPTED = {
  type: "object",
  required: ["received", "accepted", "rejected", "incidents"],
  properties: {
    received: { type: "integer", description: "alerts in the payload" },
    accepted: { type: "integer" },
    rejected: {
      type: "array",
      items: {
        type: "object",
        required: ["index", "issues"],
        properties: {
          index: { type: "integer" },
          issues: { type: "array", items: { $ref: "#/components/schemas/Issue" } },
        },
      },
    },
    incidents: { type: "array", items: { type: "string", pattern: "^INC-\\d+$" } },
  },
};

function errorResponse(description: string) {
  return { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
}

function operation(route: (typeof ROUTES)[number]) {
  const name = `${route.route[0].toUpperCase()}${route.route.slice(1)}Payload`;
  return {
    post: {
      operationId: `postAlerts${name.replace("Payload", "")}`,
      summary: route.summary,
      security: [
        { bearerAuth: [] },
        { basicAuth: [] },
        ...(route.route === "pagerduty" ? [{}] /* routing_key in the body may carry the token */ : []),
      ],
      requestBody: {
        required: true,
        content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } },
      },
      responses: {
        "202": {
          description: "Received; valid alerts were accepted, invalid ones in a batch are listed in `rejected`",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Accepted" } } },
        },
        "400": errorResponse("Invalid JSON or envelope (issues carry dotted paths)"),
        "401": errorResponse("Missing or wrong token"),
        "413": errorResponse("Body over 1 MiB (1 048 576 bytes)"),
        "415": errorResponse("Content type is not JSON"),
        "503": errorResponse("Alert ingestion not configured, or the database is down (retry)"),
      },
    },
  };
}

/** OpenAPI 3.1 description of the four alert routes; request bodies are generated from the zod schemas. */
export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = { Issue: ISSUE, Error: ERROR, Accepted: ACCEPTED };
  for (const route of ROUTES) {
    paths[`/alerts/${route.route}`] = operation(route);
    schemas[`${route.route[0].toUpperCase()}${route.route.slice(1)}Payload`] = requestSchema(route.schema);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Incident bot alert intake",
      version: "1.0.0",
      description:
        "Alert webhooks. Authenticate with `Authorization: Bearer <ALERT_WEBHOOK_TOKEN>`, HTTP basic auth with the " +
        "token as password, or (PagerDuty route only) a `routing_key` equal to the token.",
    },
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer" },
        basicAuth: { type: "http", scheme: "basic", description: "any user name; the token is the password" },
      },
    },
  };
}
