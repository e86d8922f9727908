import type { AreaModule } from "../app.js";
import type { AppContext } from "../context.js";
import { register as registerGateItemActions } from "../slack/listeners/actions/gate-items.js";
import { register as registerGateCommand } from "../slack/listeners/commands/gate.js";
import { register as registerAppHome } from "../slack/listeners/events/app-home.js";
import { register as registerGateViews } from "../slack/listeners/views/gate-views.js";
import { type GateChaseJob, runGateChaseJob, scheduleChaseTick } from "./chase-gates.js";
import { loadCustomTemplates } from "./custom-templates.js";
import { type GateExportJob, runGateExport } from "./export-gate.js";
import { publishHome } from "./publish-home.js";
import { renderGate } from "./render-gate.js";
import { setCustomTemplates } from "./template-registry.js";

/** Loads GATE_TEMPLATES_DIR: a bad file is skipped with one error line; the good ones are used. */
function loadTemplates(ctx: AppContext): void {
  const dir = ctx.config.gateTemplatesDir;
  if (!dir) {
    setCustomTemplates([]);
    return;
  }
  const { templates, errors } = loadCustomTemplates(dir);
  for (const line of errors) ctx.log.error({ dir }, `gate template refused: ${line}`);
  setCustomTemplates(templates);
  ctx.log.info({ dir, templates: templates.map((t) => t.id) }, `loaded ${templates.length} custom gate template(s)`);
}

/** Wiring of the gates area: listeners, job handlers, HTTP routes, start-up tasks. */
export const gatesArea: AreaModule = {
  listeners: [registerGateCommand, registerGateItemActions, registerGateViews, registerAppHome],
  workers: [
    async (ctx) => {
      loadTemplates(ctx); // before any job or command can look a template up
      await ctx.jobs.work<{ gateId: number }>("gateRender", ({ gateId }) => renderGate(ctx, gateId));
      await ctx.jobs.work<GateExportJob>("gateExport", (job) => runGateExport(ctx, job));
      await ctx.jobs.work<GateChaseJob>("gateChase", (job) => runGateChaseJob(ctx, job));
      await ctx.jobs.work<{ userId: string }>("homeRefresh", ({ userId }) => publishHome(ctx, userId));
    },
  ],
  onStart: async (ctx) => {
    await scheduleChaseTick(ctx); // start-up kick; the tick re-schedules itself
  },
};
