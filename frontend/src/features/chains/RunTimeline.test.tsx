import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ChainRun } from "../../api/types";
import "../../i18n";
import { RunTimeline } from "./RunTimeline";

const run = (extra: Partial<ChainRun> = {}): ChainRun =>
  ({
    id: 9,
    chain: { id: 3, name: "Quote follow-up" },
    conversation: { id: 5, customer_name: "Anna", channel: "api" },
    status: "stopped",
    started_by: "manual",
    started_by_user: "Olga",
    stop_reason: "The customer replied",
    started_at: "2026-12-11T16:30:00Z",
    finished_at: "2026-12-15T07:00:00Z",
    timeline: [
      {
        id: 1, step: 11, order: 0, kind: "template", status: "done",
        scheduled_for: "2026-12-11T17:30:00Z", due_at: "2026-12-14T08:00:00Z", claimed_at: "2026-12-14T08:00:00Z", finished_at: "2026-12-14T08:00:01Z",
        message: { id: 70, text: "Hi Anna!", status: "sent" },
        actions: [{ kind: "add_tag", ok: true, detail: "Tags added: followed-up" }, { kind: "add_note", ok: false, error: "Kommo refused" }],
        error: "",
      },
      {
        id: 2, step: 12, order: 1, kind: "ai", status: "cancelled",
        scheduled_for: "2026-12-15T08:00:00Z", due_at: "2026-12-15T08:00:00Z", claimed_at: null, finished_at: "2026-12-15T07:00:00Z",
        message: null, actions: [], error: "",
      },
    ],
    ...extra,
  }) as ChainRun;

describe("RunTimeline", () => {
  it("shows the start, each step with what it sent and did, and how the run ended", () => {
    render(<RunTimeline run={run()} />);
    const timeline = screen.getByTestId("run-timeline");
    expect(within(timeline).getByText(/Started/)).toBeInTheDocument();
    expect(within(timeline).getByText("(Olga)")).toBeInTheDocument();
    const [first, second] = screen.getAllByTestId("timeline-step");
    expect(within(first!).getByText("Sent")).toBeInTheDocument();
    expect(within(first!).getByTestId("timeline-message")).toHaveTextContent("Hi Anna!");
    expect(within(first!).getByText(/outside working hours/)).toBeInTheDocument(); // 18:30 Friday → Monday 09:00
    expect(within(first!).getByText("add_tag: Tags added: followed-up")).toBeInTheDocument();
    expect(within(first!).getByText("add_note: Kommo refused")).toHaveClass("text-red-600");
    expect(within(second!).getByText("Cancelled")).toBeInTheDocument();
    expect(within(second!).queryByTestId("timeline-message")).not.toBeInTheDocument();
    expect(screen.getByTestId("run-end")).toHaveTextContent(/Stopped .* — The customer replied/);
  });

  it("an active run has no end yet and says when its next step is due", () => {
    const active = run({ status: "active", finished_at: null, stop_reason: "", started_by_user: null });
    active.timeline[1] = { ...active.timeline[1]!, status: "pending", finished_at: null };
    render(<RunTimeline run={active} />);
    expect(screen.queryByTestId("run-end")).not.toBeInTheDocument();
    expect(screen.getByText("(by hand)")).toBeInTheDocument();
    expect(within(screen.getAllByTestId("timeline-step")[1]!).getByText(/^due /)).toBeInTheDocument();
  });
});
