import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import type { Message, TraceStep } from "../../api/types";
import i18n from "../../i18n";
import { json, problem } from "../../test/http";
import { renderPage } from "../../test/render";
import { TracePanel } from "../chat/Trace";
import type { FieldWrite } from "./fieldWrites";
import { FieldWritesPanel } from "./FieldWritesPanel";

const base: FieldWrite = {
  id: 1,
  rule: 7,
  rule_name: "Source",
  entity: "lead",
  entity_id: "3001",
  field_id: 508,
  field_code: "",
  field_name: "Source",
  field_type: "select",
  old_value: [{ enum_id: 1 }],
  new_value: [{ enum_id: 3 }],
  old_text: "Website",
  new_text: "Instagram",
  extracted: "Instagram",
  confidence: 0.9,
  quote: "I found you on Instagram",
  status: "written",
  error: "",
  message: 40,
  created_at: "2026-03-01T18:01:00Z",
  undone_at: null,
  undone_by: null,
  can_undo: true,
};
const failed: FieldWrite = { ...base, id: 2, field_name: "Follow-up date", field_type: "date", old_value: null, old_text: "", new_text: "2027-01-15", status: "failed", error: "custom_fields_values.0.field_id: The value you selected is not a valid choice.", can_undo: false };

describe("The conversation's field updates", () => {
  let rows: FieldWrite[];
  let undo: (id: number) => Response;
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    rows = [base, failed];
    undo = (id) => json({ ...rows.find((r) => r.id === id)!, status: "undone", can_undo: false, undone_by: "Olga", undone_at: "2026-03-01T18:05:00Z" });
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const path = new URL(String(input), "http://testserver").pathname;
        const undoing = path.match(/\/api\/field-writes\/(\d+)\/undo$/);
        if (undoing && init?.method === "POST") return undo(Number(undoing[1]));
        if (path === "/api/conversations/1/field-writes") return json(rows);
        return json({});
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  it("shows each write: field, old → new, confidence, the customer's words, status; a failed one with Kommo's reason", async () => {
    renderPage(<FieldWritesPanel conversationId={1} />);
    const [written, broken] = await screen.findAllByTestId("field-write");
    expect(within(written).getByTestId("field-write-change")).toHaveTextContent("WebsiteInstagram");
    expect(written).toHaveTextContent("Source");
    expect(written).toHaveTextContent("90% sure");
    expect(written).toHaveTextContent("“I found you on Instagram”");
    expect(written).toHaveTextContent("Written");
    expect(within(broken).getByTestId("field-write-change")).toHaveTextContent("empty2027-01-15");
    expect(within(broken).getByTestId("field-write-error")).toHaveTextContent("Kommo refused: custom_fields_values.0.field_id: The value you selected is not a valid choice.");
    expect(within(broken).queryByRole("button", { name: "Undo" })).not.toBeInTheDocument();
  });

  it("undoes a write after a confirmation and shows it undone", async () => {
    renderPage(<FieldWritesPanel conversationId={1} />);
    const [written] = await screen.findAllByTestId("field-write");
    await userEvent.click(within(written).getByRole("button", { name: "Undo" }));
    const dialog = await screen.findByRole("dialog", { name: "Undo the update of Source?" });
    expect(dialog).toHaveTextContent("Website");
    await userEvent.click(within(dialog).getByRole("button", { name: "Undo" }));
    await waitFor(() => expect(written).toHaveAttribute("data-status", "undone"));
    expect(written).toHaveTextContent("Undone by Olga");
    expect(within(written).queryByRole("button", { name: "Undo" })).not.toBeInTheDocument();
  });

  it("keeps the row when Kommo's value changed since, and says why", async () => {
    undo = () => problem(409, "field_changed_since_write", "Source no longer holds the value the AI wrote.");
    renderPage(<FieldWritesPanel conversationId={1} />);
    const [written] = await screen.findAllByTestId("field-write");
    await userEvent.click(within(written).getByRole("button", { name: "Undo" }));
    await userEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Undo" }));
    expect(await screen.findByText(/no longer holds the value/)).toBeInTheDocument();
    expect(written).toHaveAttribute("data-status", "written");
  });

  it("is hidden while nothing was written", async () => {
    rows = [];
    renderPage(<FieldWritesPanel conversationId={1} />);
    await waitFor(() => expect(vi.mocked(fetch)).toHaveBeenCalled());
    expect(screen.queryByTestId("field-writes")).not.toBeInTheDocument();
  });

  it("reads well in the reply's trace", () => {
    const trace: TraceStep[] = [
      {
        step: "update_rules",
        ms: 12,
        model: "offline:offline-extractive",
        applied: [{ rule: "Source", field: "Source", value: "Instagram" }],
        skipped: [{ rule: "Budget", why: "the agent may not write this field (CRM access)" }],
        failed: [],
        unchanged: ["Phone"],
      },
    ];
    renderPage(<TracePanel message={{ id: 3, trace } as unknown as Message} />);
    const steps = screen.getByTestId("trace-steps");
    expect(steps).toHaveTextContent("wrote Source = Instagram");
    expect(steps).toHaveTextContent("skipped Budget: the agent may not write this field (CRM access)");
    expect(steps).toHaveTextContent("unchanged: Phone");
  });
});
