import type { Dashboard, Figures } from "./statisticsApi";

/** Dashboard figures for tests: every count 0 unless given. */
export function figures(values: Partial<Figures> = {}): Figures {
  return {
    conversations: 0,
    ai_replies: 0,
    approvals_approved: 0,
    approvals_rejected: 0,
    approval_rate: null,
    handoffs: 0,
    handoff_rate: null,
    first_responses: 0,
    first_response_mean_seconds: null,
    first_response_median_seconds: null,
    first_response_p90_seconds: null,
    input_tokens: 0,
    output_tokens: 0,
    total_tokens: 0,
    cost: "0.000000",
    trigger_fires: 0,
    chain_runs_started: 0,
    chain_runs_finished: 0,
    chain_runs_converted: 0,
    chain_conversion_rate: null,
    field_writes: 0,
    ...values,
  };
}

export function dashboard(current: Partial<Figures> = {}, previous: Partial<Figures> = {}): Dashboard {
  return {
    date_from: "2026-11-28",
    date_to: "2026-12-04",
    previous_from: "2026-11-21",
    previous_to: "2026-11-27",
    current: figures(current),
    previous: figures(previous),
    series: [{ date: "2026-12-04", ...figures(current) }],
  };
}
