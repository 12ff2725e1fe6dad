import type { KommoField, KommoPipeline, KommoStatus, KommoStatusValue, KommoSync, Role } from "../../api/types";
import type { Tone } from "../../components/ui/Badge";

/* What the Integrations page and the agent editor's pickers know of Kommo besides the server state. */

/** Owners and admins connect, sync, repair, change settings and disconnect; the API answers 403 to members. */
export function canManageKommo(role: Role | undefined): boolean {
  return role === "owner" || role === "admin";
}

export const STATUS_TONE: Record<KommoStatusValue, Tone> = { connected: "green", error: "amber", revoked: "red", disconnected: "gray" };
export const SYNC_TONE: Record<KommoSync["status"], Tone> = { idle: "gray", running: "indigo", ok: "green", failed: "red" };

/** A date-time of the API as the user reads it ("—" when there is none). */
export function formatWhen(value: string | null | undefined, language: string): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString(language);
}

/** Why the connection needs attention: the newest recorded error (auth ones first). */
export function reconnectReason(status: KommoStatus): string | null {
  const errors = status.last_errors ?? [];
  return (errors.find((e) => e.where === "auth") ?? errors[0])?.detail ?? null;
}

/** A colour of Kommo's (`#99ccff`) or nothing: only a plain hex colour reaches a style. */
export function stageColor(color: string | null | undefined): string | undefined {
  return color && /^#[0-9a-f]{3,8}$/i.test(color) ? color : undefined;
}

// --- the catalog the agent editor picks from -----------------------------------------------------

/** The agent's CRM entities and the name Kommo gives their fields' entity. */
export const KOMMO_ENTITY = { lead: "leads", contact: "contacts" } as const;
export type AgentEntity = keyof typeof KOMMO_ENTITY;

/** Field types with a choice: the value is one (or more) of the field's enums. */
export const CHOICE_TYPES = new Set(["select", "multiselect", "radiobutton"]);
/** Field types the platform cannot write (integrations/kommo/fields.py UNSUPPORTED). */
export const UNWRITABLE_TYPES = new Set(["legal_entity", "file", "chained_list", "linked_entity", "category", "tracking_data", "smart_address"]);

/** Why a saved id has no live item behind it: deleted in Kommo (still synced, marked) or never seen. */
export type Missing = "deleted" | "unknown" | null;

export interface FieldRef {
  entity?: string | null;
  field_id?: number | null;
  field_code?: string | null;
}

/** The synced field a saved reference names (by id, else by code), live or deleted. */
export function findField(fields: KommoField[], ref: FieldRef): KommoField | undefined {
  const entity = KOMMO_ENTITY[(ref.entity ?? "lead") as AgentEntity];
  const ofEntity = fields.filter((f) => f.entity === entity);
  if (ref.field_id) return ofEntity.find((f) => f.id === ref.field_id);
  const code = ref.field_code?.trim();
  return code ? ofEntity.find((f) => f.code === code) : undefined;
}

export function fieldMissing(fields: KommoField[], ref: FieldRef): Missing {
  if (!ref.field_id && !ref.field_code?.trim()) return null;
  const field = findField(fields, ref);
  return !field ? "unknown" : field.deleted_in_kommo ? "deleted" : null;
}

export function pipelineMissing(pipelines: KommoPipeline[], id: number): Missing {
  const pipeline = pipelines.find((p) => p.id === id);
  return !pipeline ? "unknown" : pipeline.deleted_in_kommo ? "deleted" : null;
}

/** The live (not deleted) fields of one of the agent's entities, in Kommo's order. */
export function liveFields(fields: KommoField[], entity: AgentEntity): KommoField[] {
  return fields.filter((f) => f.entity === KOMMO_ENTITY[entity] && !f.deleted_in_kommo);
}
