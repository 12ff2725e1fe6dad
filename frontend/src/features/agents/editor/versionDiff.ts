/**
 * A version diff as people read it: the editor's own label for each field (not the API's key), and
 * values in words — On/Off, the choice's label, a schedule, names of channels, categories, pipelines.
 */
import type { KommoPipeline } from "../../../api/types";
import { WEEKDAYS, type WorkingHours } from "../agentForm";

type Msg = (key: string, values?: Record<string, unknown>) => string;

/** The snapshot's agent fields and tables → the i18n key of their label (the editor's, where it shows them). */
export const DIFF_LABELS: Record<string, string> = {
  name: "agents.name",
  description: "agentEditor.descriptionField",
  is_active: "agentEditor.versionDiff.is_active",
  instructions: "agentEditor.instructions",
  language: "agentEditor.language",
  model_provider: "agentEditor.versionDiff.model_provider",
  model_id: "agentEditor.model",
  fallback_model_provider: "agentEditor.versionDiff.fallback_model_provider",
  fallback_model_id: "agentEditor.versionDiff.fallback_model_id",
  temperature: "agentEditor.temperature",
  max_tokens: "agentEditor.maxTokens",
  response_delay_seconds: "agentEditor.delay",
  response_delay_jitter_seconds: "agentEditor.jitter",
  approval_required: "agentEditor.approvalRequired",
  approval_timeout_minutes: "agentEditor.approvalTimeout",
  approval_timeout_action: "agentEditor.approvalTimeoutAction",
  working_hours: "agentEditor.workingHours",
  outside_hours_action: "agentEditor.outsideHours",
  handoff_keywords: "agentEditor.handoffKeywords",
  human_reply_pause_minutes: "agentEditor.humanPause",
  max_ai_replies_per_conversation: "agentEditor.maxReplies",
  fallback_message: "agentEditor.fallbackMessage",
  pipelines: "agentEditor.tabs.pipelines",
  channels: "agentEditor.tabs.channels",
  knowledge_categories: "agentEditor.versionDiff.knowledge_categories",
  crm_fields: "agentEditor.tabs.crm",
  update_rules: "agentEditor.tabs.rules",
};

/** The label of a changed field; a key this SPA does not know yet is shown as it is. */
export function diffLabel(field: string, t: Msg): string {
  const key = DIFF_LABELS[field];
  return key ? t(key) : field;
}

const CHOICES: Record<string, Record<string, string>> = {
  approval_timeout_action: { send: "agentEditor.timeoutSend", handoff: "agentEditor.timeoutHandoff" },
  outside_hours_action: { answer: "agentEditor.outsideAnswer", silent: "agentEditor.outsideSilent", fallback: "agentEditor.outsideFallback" },
};

function schedule(hours: WorkingHours, t: Msg): string {
  const days = WEEKDAYS.filter((day) => hours[day]?.length);
  if (days.length === 0) return t("agentEditor.alwaysOpen");
  return days.map((day) => `${t(`weekdays.${day}`)} ${hours[day]!.map((w) => `${w.start}–${w.end}`).join(", ")}`).join("; ");
}

/** One agent field's value in words. */
export function diffValue(field: string, value: unknown, t: Msg): string {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) {
    return field === "working_hours" ? t("agentEditor.alwaysOpen") : t("agentEditor.versionDiff.empty");
  }
  if (typeof value === "boolean") return value ? t("agentEditor.versionDiff.on") : t("agentEditor.versionDiff.off");
  if (field === "language") return t(`languages.${String(value)}`, { defaultValue: String(value) });
  const choice = CHOICES[field]?.[String(value)];
  if (choice) return t(choice);
  if (field === "working_hours" && typeof value === "object") return schedule(value as WorkingHours, t);
  if (Array.isArray(value)) return value.map(String).join(", ");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** What a table row's name comes from: the categories and Kommo pipelines the SPA has loaded. */
export interface DiffLookups {
  categories: Map<number, string>;
  pipelines: KommoPipeline[];
}

interface Row {
  [key: string]: unknown;
}

/** One added or removed row of a configuration table, in words. */
export function diffRow(table: string, row: unknown, t: Msg, lookups: DiffLookups): string {
  if (table === "channels") return t(`channels.${String(row)}`, { defaultValue: String(row) });
  if (table === "knowledge_categories") return lookups.categories.get(Number(row)) ?? t("agentEditor.versionDiff.categoryN", { id: row });
  const r = (row ?? {}) as Row;
  if (table === "pipelines") {
    const pipeline = lookups.pipelines.find((p) => p.id === r.pipeline_id);
    const name = pipeline?.name ?? t("agentEditor.kommo.pipelineN", { id: r.pipeline_id });
    const stages = (r.stage_ids as number[] | undefined) ?? [];
    const stageName = (id: number) => pipeline?.statuses.find((s) => s.id === id)?.name ?? t("agentEditor.kommo.stageN", { id });
    return `${name}: ${stages.length ? stages.map(stageName).join(", ") : t("agentEditor.kommo.everyStage")}`;
  }
  const entity = t(`agentEditor.${r.entity === "contact" ? "contact" : "lead"}`);
  const fieldName = String(r.field_name || r.field_code || (r.field_id ? `#${r.field_id}` : "—"));
  if (table === "crm_fields") {
    const access = [r.can_read && t("agentEditor.read"), r.can_write && t("agentEditor.write")].filter(Boolean).join(", ");
    return `${entity} · ${fieldName} (${access || t("agentEditor.versionDiff.noAccess")})`;
  }
  if (table === "update_rules") {
    const off = r.is_active === false ? ` (${t("agentEditor.versionDiff.off")})` : "";
    return `${String(r.name)} → ${entity} · ${fieldName}${off}`;
  }
  return JSON.stringify(row);
}
