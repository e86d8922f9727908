import { describe, expect, it } from "vitest";
import { blocksToText, mrkdwnToText } from "../../tools/demo/render-text.js";

const names = { UKIM: "kim (data eng)", CSTAKE: "ml-stakeholders" };
const ansi = { ansi: true };

describe("the demo's terminal rendering of Slack mrkdwn", () => {
  it("shows *bold*, _italic_, ~strike~ and `code` as ANSI styles on a terminal", () => {
    expect(mrkdwnToText("*Severity*: P1 · _unassigned_ · ~old~ · `/incident ack`", names, ansi)).toBe(
      "\x1b[1mSeverity\x1b[22m: P1 · \x1b[3munassigned\x1b[23m · \x1b[9mold\x1b[29m · \x1b[36m/incident ack\x1b[39m",
    );
    expect(mrkdwnToText("*bold _and italic_*", names, ansi)).toBe("\x1b[1mbold \x1b[3mand italic\x1b[23m\x1b[22m");
  });

  it("drops the markers in plain output, keeping code quoted", () => {
    expect(mrkdwnToText("*Severity*: P1 · _unassigned_ · `/incident ack`", names)).toBe("Severity: P1 · unassigned · `/incident ack`");
    expect(mrkdwnToText("```line *one*\nline two```", names)).toBe("line *one*\nline two");
  });

  it("leaves what is not emphasis alone: snake_case, arithmetic, markers inside code", () => {
    expect(mrkdwnToText("feature lead_source · 2*3*4 · `a_b_c *x*`", names, ansi)).toBe(
      "feature lead_source · 2*3*4 · \x1b[36ma_b_c *x*\x1b[39m",
    );
    expect(mrkdwnToText("PSI 0.31 > 0.25 &amp; `&lt;tag&gt;`", names)).toBe("PSI 0.31 > 0.25 & `<tag>`");
  });

  it("shows mentions, channels and links as Slack does", () => {
    expect(mrkdwnToText("<@UKIM|kim> in <#CSTAKE> · <https://example.com/d|the dashboard> · <https://x.test>", names)).toBe(
      "@kim (data eng) in #ml-stakeholders · the dashboard (https://example.com/d) · https://x.test",
    );
    expect(mrkdwnToText("<@UKIM> <https://example.com/d|dash>", names, ansi)).toBe(
      "\x1b[1m@kim (data eng)\x1b[22m \x1b[4mdash\x1b[24m (https://example.com/d)",
    );
  });

  it("renders blocks: header bold, mrkdwn sections and fields, plain_text as typed", () => {
    const text = blocksToText(
      [
        { type: "header", text: { type: "plain_text", text: "INC-1 · drift" } },
        {
          type: "section",
          fields: [
            { type: "mrkdwn", text: "*Severity*\nP1" },
            { type: "mrkdwn", text: "*Lead*\n<@UKIM>" },
          ],
        },
        { type: "section", text: { type: "plain_text", text: "*not bold*" } },
        { type: "context", elements: [{ type: "mrkdwn", text: "_note_" }] },
      ],
      "fallback",
      names,
    );
    expect(text).toBe("== INC-1 · drift ==\n  Severity: P1   |   Lead: @kim (data eng)\n*not bold*\n  note");
  });
});
