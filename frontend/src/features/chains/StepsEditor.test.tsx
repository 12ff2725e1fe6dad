import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import i18n from "../../i18n";
import { json, pageOf } from "../../test/http";
import { renderPage } from "../../test/render";
import { VOCABULARY } from "../triggers/vocabulary.fixture";
import { chainInput, delayParts, NEW_CHAIN, type StepDraft } from "./chainDraft";
import { StepsEditor } from "./StepsEditor";

function Harness({ initial, onValue, errors = {} }: { initial: StepDraft[]; onValue: (steps: StepDraft[]) => void; errors?: Record<number, Record<string, string>> }) {
  const [steps, setSteps] = useState(initial);
  return (
    <StepsEditor
      steps={steps}
      onChange={(next) => {
        setSteps(next);
        onValue(next);
      }}
      errors={(index) => errors[index] ?? {}}
    />
  );
}

const step = (extra: Partial<StepDraft> = {}): StepDraft => ({ delay: 1, unit: "days", kind: "template", template: "Hi {customer_name}", ai_instruction: "", actions: [], ...extra });

describe("delays", () => {
  it("shows a delay in the largest unit that divides it, and sends minutes", () => {
    expect(delayParts(2880)).toEqual({ delay: 2, unit: "days" });
    expect(delayParts(120)).toEqual({ delay: 2, unit: "hours" });
    expect(delayParts(90)).toEqual({ delay: 90, unit: "minutes" });
    expect(delayParts(0)).toEqual({ delay: 0, unit: "minutes" });
    const body = chainInput({ ...NEW_CHAIN, name: "x", steps: [step({ id: 4, delay: 3, unit: "hours" }), step({ delay: 2, unit: "days", kind: "ai", ai_instruction: "Nudge" })] });
    expect(body.steps.map((s) => [s.id, s.delay_minutes, s.kind, s.template, s.ai_instruction])).toEqual([
      [4, 180, "template", "Hi {customer_name}", ""],
      [undefined, 2880, "ai", "", "Nudge"],
    ]);
  });
});

describe("StepsEditor", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    fetch.mockReset();
    fetch.mockImplementation(async (input) => {
      const url = new URL(String(input), "http://localhost");
      if (url.pathname === "/api/triggers/vocabulary") return json(VOCABULARY);
      if (url.pathname === "/api/chains") return json(pageOf([{ id: 5, name: "Quote follow-up" }], url));
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => vi.unstubAllGlobals());
  const render = (element: React.ReactNode) => renderPage(element);

  it("adds, edits, reorders and removes steps; the fields follow the step's kind", async () => {
    const user = userEvent.setup();
    let value: StepDraft[] = [];
    render(<Harness initial={[step()]} onValue={(v) => (value = v)} />);
    expect(screen.getByText(/\{lead\.<field>\}/)).toBeInTheDocument(); // the variables are listed
    await user.click(screen.getByRole("button", { name: "Add step" }));
    const second = screen.getAllByTestId("chain-step")[1]!;
    await user.selectOptions(within(second).getByLabelText("What the step does"), "ai");
    expect(within(second).queryByLabelText("Message")).not.toBeInTheDocument();
    await user.type(within(second).getByLabelText("What the follow-up should do"), "Offer a call");
    await user.clear(within(second).getByLabelText("Delay"));
    await user.type(within(second).getByLabelText("Delay"), "3");
    await user.selectOptions(within(second).getByLabelText("Unit"), "hours");
    expect(value[1]).toMatchObject({ kind: "ai", ai_instruction: "Offer a call", delay: 3, unit: "hours" });
    await user.click(within(second).getByRole("button", { name: "Move up" }));
    expect(value.map((s) => s.kind)).toEqual(["ai", "template"]);
    expect(within(screen.getAllByTestId("chain-step")[0]!).getByText("After the start, wait")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Remove step 2" }));
    expect(value.map((s) => s.kind)).toEqual(["ai"]);
  });

  it("edits a step's actions with the triggers' action forms, and shows the API's errors where they belong", async () => {
    const user = userEvent.setup();
    let value: StepDraft[] = [];
    render(<Harness initial={[step({ template: "Hi {colour}" })]} onValue={(v) => (value = v)} errors={{ 0: { template: "Unknown variables: {colour}.", "actions[0].params.tags": "Add at least one tag." } }} />);
    expect(screen.getByText("Unknown variables: {colour}.")).toBeInTheDocument();
    const kind = await screen.findByLabelText("Action to add");
    await waitFor(() => expect(within(kind).getAllByRole("option").length).toBeGreaterThan(1));
    await user.selectOptions(kind, "add_tag");
    await user.click(screen.getByRole("button", { name: "Add action" }));
    const action = screen.getByRole("group", { name: "Action 1: Add tags to the lead" });
    expect(within(action).getByText("Add at least one tag.")).toBeInTheDocument(); // the API's error, at its param
    await user.type(within(action).getByRole("textbox"), "hot{Enter}");
    expect(value[0]!.actions).toEqual([{ kind: "add_tag", params: { tags: ["hot"] } }]);
    expect(chainInput({ ...NEW_CHAIN, name: "x", steps: value }).steps[0]!.actions).toEqual([{ kind: "add_tag", params: { tags: ["hot"] } }]);
  });
});
