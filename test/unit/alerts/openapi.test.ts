import { describe, expect, it } from "vitest";
import { buildOpenApi } from "../../../src/alerts/openapi.js";

describe("buildOpenApi", () => {
  const doc = buildOpenApi() as any;

  it("describes the four routes with generated request schemas", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(["/alerts/alertmanager", "/alerts/generic", "/alerts/grafana", "/alerts/pagerduty"]);
    const schemas = doc.components.schemas;
    expect(schemas.AlertmanagerPayload.required).toEqual(["alerts"]);
    expect(schemas.AlertmanagerPayload.properties.alerts.items.properties.labels.type).toBe("object");
    expect(schemas.GrafanaPayload.properties.alerts.items.properties.values).toBeDefined();
    expect(JSON.stringify(schemas.PagerDutyEvent ?? schemas.PagerdutyPayload)).toContain("routing_key");
    const generic = JSON.stringify(schemas.GenericPayload);
    for (const field of ["source", "title", "metric", "fingerprint", "baseline"]) expect(generic).toContain(field);
    expect(JSON.stringify(doc)).not.toContain('"$schema"');
  });

  it("has the responses and security schemes", () => {
    const op = doc.paths["/alerts/generic"].post;
    expect(Object.keys(op.responses).sort()).toEqual(["202", "400", "401", "413", "415", "503"]);
    expect(op.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/GenericPayload");
    expect(doc.components.securitySchemes).toEqual({
      bearerAuth: { type: "http", scheme: "bearer" },
      basicAuth: expect.objectContaining({ type: "http", scheme: "basic" }),
    });
    expect(doc.components.schemas.Accepted.required).toEqual(["received", "accepted", "rejected", "incidents"]);
  });

  it("every $ref resolves", () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const path = ref.slice(9, -1);
      if (!path.startsWith("#/components/")) continue;
      const target = path
        .slice(2)
        .split("/")
        .reduce((node: any, key) => node?.[key], doc);
      expect(target, path).toBeDefined();
    }
  });
});
