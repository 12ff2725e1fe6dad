/**
 * The agent editor's draft: every tab's fields in one object (the agent's own fields as the settings
 * form holds them, and the configuration tables), so switching tabs keeps every edit; what one Save
 * sends (only what changed); and where each of the API's errors is shown.
 */
import type { Agent, AgentChannel, AgentUpdateInput, CrmField, PipelineItem } from "../../../api/types";
import { ApiError, errorMessage } from "../../../api/problem";
import { AGENT_FORM_FIELDS, formFromAgent, inputFromForm, validateAgent, type AgentErrors, type AgentField, type AgentForm } from "../agentForm";
import { AGENT_CHANNELS } from "../channels";
import { diffLabel } from "./versionDiff";

export interface AgentTables {
  channels: AgentChannel[];
  pipelines: PipelineItem[];
  category_ids: number[];
  crm_fields: CrmField[];
}
export type AgentDraft = AgentForm & AgentTables;
export type DraftField = keyof AgentDraft;

export const EDITOR_TABS = ["settings", "channels", "pipelines", "knowledge", "crm", "rules", "versions"] as const;
export type EditorTab = (typeof EDITOR_TABS)[number];
/** The tabs whose fields are part of the draft: the others save at once (rules) or only read (versions). */
type TableTab = "channels" | "pipelines" | "knowledge" | "crm";
const TABLE_TABS: Record<keyof AgentTables, TableTab> = { channels: "channels", pipelines: "pipelines", category_ids: "knowledge", crm_fields: "crm" };

export const tabOf = (field: DraftField): EditorTab => TABLE_TABS[field as keyof AgentTables] ?? "settings";

/** The tables in the order the editor keeps them (the API's), so that an edit undone is clean again. */
export const tidy = {
  channels: (channels: AgentChannel[]) => AGENT_CHANNELS.filter((c) => channels.includes(c)),
  pipelines: (rows: PipelineItem[]) =>
    [...rows].sort((a, b) => a.pipeline_id - b.pipeline_id).map((row) => ({ pipeline_id: row.pipeline_id, stage_ids: [...(row.stage_ids ?? [])].sort((a, b) => a - b) })),
  categoryIds: (ids: number[]) => [...new Set(ids)].sort((a, b) => a - b),
};

export function draftFromServer(agent: Agent, tables: AgentTables): AgentDraft {
  return {
    ...formFromAgent(agent),
    channels: tidy.channels(tables.channels),
    pipelines: tidy.pipelines(tables.pipelines),
    category_ids: tidy.categoryIds(tables.category_ids),
    crm_fields: tables.crm_fields,
  };
}

/** The form fields whose API field has another name (the model picker holds provider and id). */
const API_FIELDS: Partial<Record<AgentField, Array<keyof AgentUpdateInput>>> = { model: ["model_provider", "model_id"] };

/** The PATCH body of one Save: the changed fields and tables, nothing else (a teammate's change to another field stays). */
export function saveBody(draft: AgentDraft, changed: DraftField[]): AgentUpdateInput {
  const input = inputFromForm(draft) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const field of changed) {
    if (field in TABLE_TABS) body[field] = draft[field];
    else for (const apiField of API_FIELDS[field as AgentField] ?? [field]) body[apiField] = input[apiField];
  }
  return body as AgentUpdateInput;
}

export interface SaveErrors {
  /** Beside the settings tab's fields. */
  fields: AgentErrors;
  /** At the top of a table's tab. */
  tables: Partial<Record<TableTab, string>>;
  /** About no field: shown in the save bar. */
  form: string | null;
}
export const NO_ERRORS: SaveErrors = { fields: {}, tables: {}, form: null };

/** Problems found before sending: the settings form's checks, and CRM rows without a field. */
export function localErrors(draft: AgentDraft, t: (key: string, values?: Record<string, unknown>) => string): SaveErrors {
  const tables: SaveErrors["tables"] = {};
  if (draft.crm_fields.some((row) => !row.field_id && !row.field_code?.trim())) tables.crm = t("agentEditor.kommo.pickEveryField");
  return { fields: validateAgent(draft, t), tables, form: null };
}

/** A save refused because someone saved a newer version that changed the same fields: which, and whose. */
export function editConflict(error: unknown): { fields: string[]; version: number; savedBy: string | null } | null {
  if (!(error instanceof ApiError) || error.code !== "agent_edit_conflict") return null;
  const { fields, version, saved_by } = error.problem as { fields?: string[]; version?: number; saved_by?: string | null };
  return { fields: fields ?? [], version: version ?? 0, savedBy: saved_by ?? null };
}

/** The API's refusal, each message where its field is ("crm_fields.1.field_id" → the CRM tab, row 2). */
export function apiErrors(error: unknown, t: (key: string, values?: Record<string, unknown>) => string): SaveErrors {
  const conflict = editConflict(error);
  if (conflict) {
    const fields = conflict.fields.map((field) => diffLabel(field, t)).join(", ");
    return { ...NO_ERRORS, form: t("agentEditor.editConflict", { version: conflict.version, who: conflict.savedBy ?? t("agentEditor.someone"), fields }) };
  }
  if (!(error instanceof ApiError) || Object.keys(error.fieldErrors).length === 0) return { ...NO_ERRORS, form: errorMessage(error) };
  const fields: AgentErrors = {};
  const tables: Record<string, string[]> = {};
  const rest: string[] = [];
  const formFields = new Set<string>(AGENT_FORM_FIELDS);
  for (const [key, messages] of Object.entries(error.fieldErrors)) {
    const [head, index] = key.split(".");
    const message = messages[0];
    if (!message) continue;
    const table = TABLE_TABS[head as keyof AgentTables];
    if (table) {
      const row = index !== undefined && /^\d+$/.test(index) ? `${t("agentEditor.rowN", { n: Number(index) + 1 })}: ` : "";
      (tables[table] ??= []).push(row + message);
    } else if (head === "model_provider" || head === "model_id") fields.model ??= message;
    else if (formFields.has(head!)) fields[head as AgentField] ??= message;
    else rest.push(message);
  }
  const joined = Object.fromEntries(Object.entries(tables).map(([tab, list]) => [tab, list.join(" ")]));
  return { fields, tables: joined, form: rest.length ? rest.join(" ") : null };
}

/** The tabs that hold an error, in the editor's order. */
export function tabsWithErrors(errors: SaveErrors): EditorTab[] {
  const tabs = new Set<EditorTab>(Object.keys(errors.tables) as EditorTab[]);
  if (Object.keys(errors.fields).length) tabs.add("settings");
  return EDITOR_TABS.filter((tab) => tabs.has(tab));
}
