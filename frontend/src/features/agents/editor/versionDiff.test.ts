import { afterEach, describe, expect, it } from "vitest";
import i18n from "../../../i18n";
import { AGENT_FORM_FIELDS } from "../agentForm";
import { DIFF_LABELS, diffLabel, diffRow, diffValue } from "./versionDiff";

const t = i18n.t.bind(i18n);
const lookups = {
  categories: new Map([[4, "Shipping"]]),
  pipelines: [{ id: 100, name: "Sales", sort: 1, is_main: true, is_archive: false, deleted_in_kommo: false, statuses: [{ id: 1001, name: "New lead", sort: 1, color: "", type: 0 }] }],
};

// Every key of a snapshot (agents/selectors.py AGENT_FIELDS and the tables).
const SNAPSHOT_KEYS = [
  "name", "description", "is_active", "instructions", "language", "model_provider", "model_id", "fallback_model_provider",
  "fallback_model_id", "temperature", "max_tokens", "response_delay_seconds", "response_delay_jitter_seconds",
  "approval_required", "approval_timeout_minutes", "approval_timeout_action", "working_hours", "outside_hours_action",
  "handoff_keywords", "human_reply_pause_minutes", "max_ai_replies_per_conversation", "fallback_message",
  "pipelines", "channels", "knowledge_categories", "crm_fields", "update_rules",
];

describe("version diff in words", () => {
  afterEach(() => i18n.changeLanguage("en"));

  it("labels every snapshot key as the editor does, in English and Russian", async () => {
    await i18n.changeLanguage("en");
    expect(Object.keys(DIFF_LABELS).sort()).toEqual([...SNAPSHOT_KEYS].sort());
    expect(diffLabel("is_active", t)).toBe("Switched on");
    expect(diffLabel("response_delay_jitter_seconds", t)).toBe("Delay jitter (s)");
    expect(diffLabel("knowledge_categories", t)).toBe("Knowledge categories");
    expect(diffLabel("brand_new_field", t)).toBe("brand_new_field");
    await i18n.changeLanguage("ru");
    for (const key of SNAPSHOT_KEYS) expect(diffLabel(key, t), key).not.toMatch(/^agentEditor\.|^agents\.|_/);
    expect(diffLabel("is_active", t)).toBe("Включён");
  });

  it("uses the editor's labels for the fields it edits", async () => {
    await i18n.changeLanguage("en");
    const editorLabel: Record<string, string> = { name: "Name", instructions: "Instructions", approval_required: "Approval required", working_hours: "Working hours" };
    for (const [field, label] of Object.entries(editorLabel)) expect(diffLabel(field, t)).toBe(label);
    expect(AGENT_FORM_FIELDS.filter((f) => f !== "model").every((f) => f in DIFF_LABELS)).toBe(true);
  });

  it("says values in words: on/off, choices, schedules, empty", async () => {
    await i18n.changeLanguage("en");
    expect(diffValue("is_active", false, t)).toBe("Off");
    expect(diffValue("is_active", true, t)).toBe("On");
    expect(diffValue("outside_hours_action", "silent", t)).toBe("Stay silent");
    expect(diffValue("approval_timeout_action", "handoff", t)).toBe("Hand over to a human");
    expect(diffValue("language", "ru", t)).toBe("Russian");
    expect(diffValue("working_hours", {}, t)).toBe("Always open");
    expect(diffValue("working_hours", { mon: [{ start: "09:00", end: "18:00" }] }, t)).toBe("Monday 09:00–18:00");
    expect(diffValue("handoff_keywords", ["human", "manager"], t)).toBe("human, manager");
    expect(diffValue("max_ai_replies_per_conversation", null, t)).toBe("(none)");
    expect(diffValue("temperature", 0.7, t)).toBe("0.7");
    await i18n.changeLanguage("ru");
    expect(diffValue("is_active", true, t)).toBe("Вкл.");
    expect(diffValue("approval_required", false, t)).toBe("Выкл.");
  });

  it("names the rows of the tables", async () => {
    await i18n.changeLanguage("en");
    expect(diffRow("channels", "whatsapp", t, lookups)).toBe("WhatsApp");
    expect(diffRow("knowledge_categories", 4, t, lookups)).toBe("Shipping");
    expect(diffRow("knowledge_categories", 9, t, lookups)).toBe("Category #9 (deleted)");
    expect(diffRow("pipelines", { pipeline_id: 100, stage_ids: [1001] }, t, lookups)).toBe("Sales: New lead");
    expect(diffRow("pipelines", { pipeline_id: 7, stage_ids: [] }, t, lookups)).toBe("Pipeline 7: Every stage");
    expect(diffRow("crm_fields", { entity: "contact", field_id: 5, field_name: "Phone", can_read: true, can_write: true }, t, lookups)).toBe("Contact · Phone (Read, Write)");
    expect(diffRow("update_rules", { name: "City", entity: "lead", field_code: "CITY", is_active: false }, t, lookups)).toBe("City → Lead · CITY (Off)");
  });
});
