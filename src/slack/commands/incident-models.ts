import { incidentModelBlocks, modelListBlocks, modelListText, modelLine } from "../../../blocks/models.js";
import { rollbackConfirmation } from "../../../blocks/rollback.js";
import { proposeRollback } from "../../models/rollback.js";
import { listModels, loadIncidentModel } from "../../models/list-models.js";
import type { SubcommandTable } from "./types.js";

/** `/incident models` (anywhere) and `/incident model` (in an incident about a model). */
export const modelsSubcommands: SubcommandTable = {
  models: {
    scope: "anywhere",
    async run(ctx) {
      const models = await listModels(ctx);
      return { text: modelListText(models), blocks: modelListBlocks(models) };
    },
  },
  model: {
    scope: "incident",
    async run(ctx, req) {
      const v = await loadIncidentModel(ctx, req.incidentId);
      return { text: modelLine(v.status), blocks: incidentModelBlocks(v) };
    },
  },
  rollback: {
    scope: "incident",
    async run(ctx, req) {
      const p = await proposeRollback(ctx, req.incidentId, req.userId, req.args);
      return { ...rollbackConfirmation(p, req.userId), inChannel: true };
    },
  },
};
