import { describe, expect, it } from "vitest";
import { ApiError } from "../../../api/problem";
import type { Agent } from "../../../api/types";
import i18n from "../../../i18n";
import { apiErrors, draftFromServer, localErrors, saveBody, tabOf, tabsWithErrors, tidy } from "./agentDraft";

const t = i18n.t.bind(i18n);
const agent = { id: 5, name: "Support", model_provider: "offline", model_id: "offline-extractive", working_hours: {}, handoff_keywords: [], channels: [] } as unknown as Agent;
const tables = { channels: ["whatsapp" as const, "api" as const], pipelines: [{ pipeline_id: 9, stage_ids: [3, 1] }, { pipeline_id: 2, stage_ids: [] }], category_ids: [4, 2], crm_fields: [] };
const refusal = (errors: Record<string, string[]>) => new ApiError({ type: "x", title: "t", status: 400, detail: "invalid", code: "validation_error", errors });

describe("the agent editor's draft", () => {
  it("keeps the tables in the API's order, so an edit undone is no change", () => {
    const draft = draftFromServer(agent, tables);
    expect(draft.channels).toEqual(["whatsapp", "api"]);
    expect(draft.pipelines).toEqual([{ pipeline_id: 2, stage_ids: [] }, { pipeline_id: 9, stage_ids: [1, 3] }]);
    expect(draft.category_ids).toEqual([2, 4]);
    expect(tidy.channels(["api", "telegram", "whatsapp"])).toEqual(["whatsapp", "telegram", "api"]);
  });

  it("sends only what changed, with the model as provider and id", () => {
    const draft = { ...draftFromServer(agent, tables), name: " Sales ", model: "openai:gpt-4o", handoff_keywords: "human, manager", channels: ["api" as const] };
    expect(saveBody(draft, ["name", "model", "handoff_keywords", "channels"])).toEqual({
      name: "Sales",
      model_provider: "openai",
      model_id: "gpt-4o",
      handoff_keywords: ["human", "manager"],
      channels: ["api"],
    });
    expect(saveBody(draft, [])).toEqual({});
  });

  it("puts each of the API's errors in its tab: fields beside them, table rows at the top of their tab", () => {
    const errors = apiErrors(refusal({ name: ["Taken."], model_id: ["Unknown model."], "crm_fields.1.field_id": ["Give field_id or field_code."], pipelines: ["Each pipeline may appear once."], non_field_errors: ["Busy."] }), t);
    expect(errors.fields).toEqual({ name: "Taken.", model: "Unknown model." });
    expect(errors.tables).toEqual({ crm: "Row 2: Give field_id or field_code.", pipelines: "Each pipeline may appear once." });
    expect(errors.form).toBe("Busy.");
    expect(tabsWithErrors(errors)).toEqual(["settings", "pipelines", "crm"]);
    expect(apiErrors(new Error("offline"), t).form).toBeTruthy();
  });

  it("finds local problems before sending, in the tab that has them", () => {
    const draft = { ...draftFromServer(agent, tables), crm_fields: [{ entity: "lead" as const, field_id: null, field_code: "", can_read: true, can_write: false }] };
    expect(tabsWithErrors(localErrors(draft, t))).toEqual(["crm"]);
    expect(tabOf("category_ids")).toBe("knowledge");
    expect(tabOf("fallback_message")).toBe("settings");
  });
});
