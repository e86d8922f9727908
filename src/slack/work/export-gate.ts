import { esc } from "../../../blocks/text.js";
import type { AppContext } from "../../context.js";
import { type GateExportJob, loadGateExport } from "../../gates/export-gate.js";
import { gateRef } from "../../gates/gate-ref.js";
import { resolveMentions } from "./resolve-mentions.js";

/** Job `gateExport`: uploads the gate's Markdown into the channel it was requested in. */
export async function runGateExport(ctx: AppContext, job: GateExportJob): Promise<void> {
  const { gate, markdown } = await loadGateExport(ctx, job.gateId);
  const ref = gateRef(gate.id);
  await ctx.chat.uploadFile({
    channelId: job.channelId,
    filename: `${ref.toLowerCase()}-${gate.templateId}.md`,
    title: `${ref} ${gate.title} — ${gate.subject}`,
    content: await resolveMentions(ctx.chat, markdown), // names, not ids: the file is read outside Slack
    initialComment: `Export of ${ref} (${esc(gate.title)} — ${esc(gate.subject)}) requested by <@${job.requestedBy}>`,
  });
}
