import type { AppContext } from "../context.js";
import { loadCustomTemplates } from "./custom-templates.js";
import { setCustomTemplates } from "./template-registry.js";

/**
 * Start-up task, run before any job or command can look a template up: loads GATE_TEMPLATES_DIR.
 * A bad file is skipped with one error line; the good ones are used.
 */
export async function loadGateTemplates(ctx: AppContext): Promise<void> {
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
