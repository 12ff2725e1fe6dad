/**
 * The agent settings form: its state, conversion to the API's input, and client-side checks that
 * mirror the API's (agents/api/serializers.py, agents/working_hours.py, the model's validators).
 */
import type { Agent, AgentInput } from "../../api/types";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export interface Window {
  start: string;
  end: string;
}
export type WorkingHours = Partial<Record<Weekday, Window[]>>;

export interface AgentForm {
  name: string;
  description: string;
  instructions: string;
  language: string;
  model: string; // "provider:model_id"
  temperature: string;
  max_tokens: string;
  response_delay_seconds: string;
  response_delay_jitter_seconds: string;
  approval_required: boolean;
  approval_timeout_minutes: string;
  approval_timeout_action: "send" | "handoff";
  working_hours: WorkingHours;
  outside_hours_action: "answer" | "silent" | "fallback";
  handoff_keywords: string;
  human_reply_pause_minutes: string;
  max_ai_replies_per_conversation: string;
  fallback_message: string;
}

export type AgentField = keyof AgentForm;
export type AgentErrors = Partial<Record<AgentField, string>>;

export const AGENT_FORM_FIELDS: AgentField[] = [
  "name", "description", "instructions", "language", "model", "temperature", "max_tokens",
  "response_delay_seconds", "response_delay_jitter_seconds", "approval_required", "approval_timeout_minutes",
  "approval_timeout_action", "working_hours", "outside_hours_action", "handoff_keywords",
  "human_reply_pause_minutes", "max_ai_replies_per_conversation", "fallback_message",
];

export function formFromAgent(agent: Agent): AgentForm {
  return {
    name: agent.name,
    description: agent.description ?? "",
    instructions: agent.instructions ?? "",
    language: agent.language ?? "auto",
    model: `${agent.model_provider ?? "offline"}:${agent.model_id ?? "offline-extractive"}`,
    temperature: String(agent.temperature ?? 0.3),
    max_tokens: String(agent.max_tokens ?? 800),
    response_delay_seconds: String(agent.response_delay_seconds ?? 0),
    response_delay_jitter_seconds: String(agent.response_delay_jitter_seconds ?? 0),
    approval_required: agent.approval_required ?? false,
    approval_timeout_minutes: agent.approval_timeout_minutes == null ? "" : String(agent.approval_timeout_minutes),
    approval_timeout_action: agent.approval_timeout_action ?? "handoff",
    working_hours: (agent.working_hours as WorkingHours | null) ?? {},
    outside_hours_action: agent.outside_hours_action ?? "answer",
    handoff_keywords: (agent.handoff_keywords ?? []).join(", "),
    human_reply_pause_minutes: String(agent.human_reply_pause_minutes ?? 60),
    max_ai_replies_per_conversation:
      agent.max_ai_replies_per_conversation == null ? "" : String(agent.max_ai_replies_per_conversation),
    fallback_message: agent.fallback_message ?? "",
  };
}

const optionalInt = (value: string) => (value.trim() === "" ? null : Number(value));

export function inputFromForm(form: AgentForm): AgentInput {
  const [provider, ...rest] = form.model.split(":");
  return {
    name: form.name.trim(),
    description: form.description,
    instructions: form.instructions,
    language: form.language,
    model_provider: provider,
    model_id: rest.join(":"),
    temperature: Number(form.temperature),
    max_tokens: Number(form.max_tokens),
    response_delay_seconds: Number(form.response_delay_seconds),
    response_delay_jitter_seconds: Number(form.response_delay_jitter_seconds),
    approval_required: form.approval_required,
    approval_timeout_minutes: optionalInt(form.approval_timeout_minutes),
    approval_timeout_action: form.approval_timeout_action,
    working_hours: form.working_hours,
    outside_hours_action: form.outside_hours_action,
    handoff_keywords: form.handoff_keywords
      .split(",")
      .map((word) => word.trim())
      .filter(Boolean),
    human_reply_pause_minutes: Number(form.human_reply_pause_minutes),
    max_ai_replies_per_conversation: optionalInt(form.max_ai_replies_per_conversation),
    fallback_message: form.fallback_message,
  };
}

type Msg = (key: string, values?: Record<string, unknown>) => string;

function intIn(value: string, min: number, max: number, t: Msg, optional = false): string | undefined {
  if (value.trim() === "") return optional ? undefined : t("validation.required");
  const n = Number(value);
  if (!Number.isInteger(n)) return t("validation.integer");
  if (n < min || n > max) return t("validation.range", { min, max });
  return undefined;
}

const HHMM = /^(\d{2}):(\d{2})$/;
function minutes(value: string): number | null {
  const m = HHMM.exec(value);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return 24 * 60;
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

/** Problems with a schedule, like agents/working_hours.py's working_hours_errors. */
export function workingHoursErrors(schedule: WorkingHours, t: Msg): string[] {
  const errors: string[] = [];
  for (const day of WEEKDAYS) {
    const windows = schedule[day];
    if (!windows) continue;
    const parsed: Array<[number, number]> = [];
    for (const window of windows) {
      const start = minutes(window.start);
      const end = minutes(window.end);
      if (start === null || end === null) {
        errors.push(t("validation.hhmm", { day: t(`weekdays.${day}`) }));
        continue;
      }
      if (start >= end) {
        errors.push(t("validation.endsBeforeStart", { day: t(`weekdays.${day}`), start: window.start, end: window.end }));
        continue;
      }
      parsed.push([start, end]);
    }
    parsed.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < parsed.length; i++) {
      if (parsed[i]![0] < parsed[i - 1]![1]) {
        errors.push(t("validation.overlap", { day: t(`weekdays.${day}`) }));
        break;
      }
    }
  }
  return errors;
}

export function validateAgent(form: AgentForm, t: Msg): AgentErrors {
  const errors: AgentErrors = {};
  if (!form.name.trim()) errors.name = t("validation.required");
  else if (form.name.trim().length > 120) errors.name = t("validation.maxLength", { max: 120 });
  if (!form.model.includes(":")) errors.model = t("validation.required");
  const temperature = Number(form.temperature);
  if (form.temperature.trim() === "" || Number.isNaN(temperature)) errors.temperature = t("validation.number");
  else if (temperature < 0 || temperature > 2) errors.temperature = t("validation.range", { min: 0, max: 2 });
  errors.max_tokens = intIn(form.max_tokens, 16, 32000, t);
  errors.response_delay_seconds = intIn(form.response_delay_seconds, 0, 3600, t);
  errors.response_delay_jitter_seconds = intIn(form.response_delay_jitter_seconds, 0, 600, t);
  if (!errors.response_delay_seconds && !errors.response_delay_jitter_seconds) {
    if (Number(form.response_delay_jitter_seconds) > Number(form.response_delay_seconds)) {
      errors.response_delay_jitter_seconds = t("validation.jitter");
    }
  }
  errors.approval_timeout_minutes = intIn(form.approval_timeout_minutes, 0, 10080, t, true);
  errors.human_reply_pause_minutes = intIn(form.human_reply_pause_minutes, 0, 43200, t);
  errors.max_ai_replies_per_conversation = intIn(form.max_ai_replies_per_conversation, 0, 1_000_000, t, true);
  const hours = workingHoursErrors(form.working_hours, t);
  if (hours.length) errors.working_hours = hours.join(" ");
  for (const key of Object.keys(errors) as AgentField[]) if (!errors[key]) delete errors[key];
  return errors;
}
