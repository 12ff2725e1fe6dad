import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import i18n from "../../i18n";
import type { Group } from "./condition";
import { ConditionBuilder } from "./ConditionBuilder";
import { VOCABULARY } from "./vocabulary.fixture";

const leadFields = [{ id: 5001, entity: "leads", name: "Budget", type: "numeric", enums: [] }];

const pipelines = [
  { id: 10, name: "Sales", statuses: [{ id: 101, name: "New", sort: 1 }, { id: 102, name: "Negotiation", sort: 2 }] },
  { id: 20, name: "Support", statuses: [{ id: 201, name: "Open", sort: 1 }] },
];

function Builder({ initial, errors = {}, onValue }: { initial: Group; errors?: Record<string, string>; onValue: (v: Group) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <ConditionBuilder
      value={value}
      facts={VOCABULARY.facts}
      leadFields={leadFields}
      pipelines={pipelines}
      errors={errors}
      onChange={(next) => {
        setValue(next);
        onValue(next);
      }}
    />
  );
}

beforeEach(async () => {
  await i18n.changeLanguage("en");
});

describe("the condition builder", () => {
  it("builds nested groups of structured and plain-language tests, negated, as the API's JSON", async () => {
    const onValue = vi.fn<(v: Group) => void>();
    render(<Builder initial={{ all: [] }} onValue={onValue} />);
    const root = screen.getByRole("group", { name: "Condition" });

    // 1: message text contains "discount"
    await userEvent.click(within(root).getByRole("button", { name: "Add a condition to Condition" }));
    const first = screen.getByRole("group", { name: "Condition 1" });
    expect(within(first).getByLabelText("Fact")).toHaveValue("message.text");
    expect(within(first).getByLabelText("Operator")).toHaveValue("contains");
    await userEvent.type(within(first).getByLabelText("Value"), "discount");

    // 2: a group of any of: a lead field ≥ 1000, NOT the weekday being Sunday, a plain-language test
    await userEvent.click(within(root).getByRole("button", { name: "Add a group to Condition" }));
    const group = screen.getByRole("group", { name: "Group 2" });
    expect(within(group).getByLabelText(/How the conditions of Group 2 combine/)).toHaveValue("any");
    await userEvent.click(within(group).getByRole("button", { name: "Add a condition to Group 2" }));
    const field = screen.getByRole("group", { name: "Condition 2.1" });
    await userEvent.selectOptions(within(field).getByLabelText("Fact"), "lead.field");
    await userEvent.selectOptions(within(field).getByLabelText("Lead field"), "5001");
    await userEvent.selectOptions(within(field).getByLabelText("Operator"), "gte");
    await userEvent.type(within(field).getByLabelText("Value"), "1000");

    await userEvent.click(within(group).getByRole("button", { name: "Add a condition to Group 2" }));
    const day = screen.getByRole("group", { name: "Condition 2.2" });
    await userEvent.selectOptions(within(day).getByLabelText("Fact"), "time.weekday");
    await userEvent.selectOptions(within(day).getByLabelText("Operator"), "equals");
    await userEvent.selectOptions(within(day).getByLabelText("Value"), "7");
    await userEvent.click(within(day).getByLabelText("Not"));

    await userEvent.click(within(group).getByRole("button", { name: "Add a plain-language condition to Group 2" }));
    const ai = screen.getByRole("group", { name: "Condition 2.3" });
    await userEvent.type(within(ai).getByLabelText(/In plain language/), "the customer asks for a discount");

    expect(onValue).toHaveBeenLastCalledWith({
      all: [
        { fact: "message.text", op: "contains", value: "discount" },
        {
          any: [
            { fact: "lead.field", op: "gte", value: 1000, field_id: 5001 },
            { not: { fact: "time.weekday", op: "equals", value: 7 } },
            { ai: "the customer asks for a discount", min_confidence: 0.7 },
          ],
        },
      ],
    });
  });

  it("offers only the fact's operators and types the value per operator (between: a pair; in: a list; empty: none)", async () => {
    const onValue = vi.fn<(v: Group) => void>();
    render(<Builder initial={{ all: [{ fact: "conversation.ai_replies", op: "gt", value: 3 }] }} onValue={onValue} />);
    const row = screen.getByRole("group", { name: "Condition 1" });
    const ops = within(within(row).getByLabelText("Operator")).getAllByRole("option").map((o) => o.getAttribute("value"));
    expect(ops).not.toContain("contains");
    expect(ops).toContain("between");

    await userEvent.selectOptions(within(row).getByLabelText("Operator"), "between");
    await userEvent.type(within(row).getByLabelText("From"), "2");
    await userEvent.type(within(row).getByLabelText("To"), "5");
    expect(onValue).toHaveBeenLastCalledWith({ all: [{ fact: "conversation.ai_replies", op: "between", value: [2, 5] }] });

    await userEvent.selectOptions(within(row).getByLabelText("Operator"), "in");
    await userEvent.type(within(row).getByLabelText("Value"), "1, 2,3");
    expect(onValue).toHaveBeenLastCalledWith({ all: [{ fact: "conversation.ai_replies", op: "in", value: [1, 2, 3] }] });
    expect(within(row).getByLabelText("Value")).toHaveValue("1, 2,3");

    await userEvent.selectOptions(within(row).getByLabelText("Operator"), "is_empty");
    expect(within(row).queryByLabelText("Value")).not.toBeInTheDocument();
    expect(onValue).toHaveBeenLastCalledWith({ all: [{ fact: "conversation.ai_replies", op: "is_empty" }] });

    await userEvent.selectOptions(within(row).getByLabelText("Fact"), "time.local");
    expect(within(row).getByLabelText("Operator")).toHaveValue("between");
    expect(within(row).getByLabelText("From")).toHaveAttribute("type", "time");
    expect(onValue).toHaveBeenLastCalledWith({ all: [{ fact: "time.local", op: "between", value: ["09:00", "18:00"] }] });
  });

  it("shows each server error at its node: a value, a plain-language test, a negated test, a group", () => {
    const condition: Group = {
      all: [
        { fact: "message.text", op: "contains", value: "" },
        { any: [{ ai: "", min_confidence: 0.7 }, { not: { fact: "lead.tags", op: "includes", value: "" } }] },
      ],
    };
    const errors = {
      "condition.all.0.value": "Text.",
      "condition.all.1.any.0.ai": "Describe the condition in a sentence.",
      "condition.all.1.any.1.not.value": "A tag.",
      "condition.all.1": "Groups nest at most 6 deep.",
    };
    render(<Builder initial={condition} errors={errors} onValue={() => undefined} />);
    const first = screen.getByRole("group", { name: "Condition 1" });
    expect(within(first).getByText("Text.")).toBeInTheDocument();
    expect(within(first).getByLabelText("Value")).toHaveAttribute("aria-invalid", "true");

    const ai = screen.getByRole("group", { name: "Condition 2.1" });
    expect(within(ai).getByText("Describe the condition in a sentence.")).toBeInTheDocument();
    expect(within(ai).getByLabelText(/In plain language/)).toHaveAttribute("aria-invalid", "true");

    const tag = screen.getByRole("group", { name: "Condition 2.2" });
    expect(within(tag).getByText("A tag.")).toBeInTheDocument();
    expect(within(tag).getByLabelText("Not")).toBeChecked();

    // The group's own error is on the group, not repeated on its children.
    const group = screen.getByRole("group", { name: "Group 2" });
    expect(within(group).getAllByText("Groups nest at most 6 deep.")).toHaveLength(1);
    expect(within(ai).queryByText("Groups nest at most 6 deep.")).not.toBeInTheDocument();
    expect(within(first).queryByText("A tag.")).not.toBeInTheDocument();
  });

  it("unticking Not unwraps the node; removing one renumbers the rest", async () => {
    const onValue = vi.fn<(v: Group) => void>();
    render(<Builder initial={{ any: [{ not: { ai: "angry customer" } }, { fact: "message.text", op: "is_empty" }] }} onValue={onValue} />);
    await userEvent.click(within(screen.getByRole("group", { name: "Condition 1" })).getByLabelText("Not"));
    expect(onValue).toHaveBeenLastCalledWith({ any: [{ ai: "angry customer" }, { fact: "message.text", op: "is_empty" }] });
    await userEvent.click(screen.getByRole("button", { name: "Remove condition 1" }));
    expect(onValue).toHaveBeenLastCalledWith({ any: [{ fact: "message.text", op: "is_empty" }] });
    expect(within(screen.getByRole("group", { name: "Condition 1" })).getByLabelText("Operator")).toHaveValue("is_empty");
  });

  it("picks a stage or a pipeline from the synced pipelines, a list of them stays typed ids", async () => {
    const onValue = vi.fn<(v: Group) => void>();
    render(<Builder initial={{ all: [{ fact: "lead.stage_id", op: "equals", value: "" }] }} onValue={onValue} />);
    const row = screen.getByRole("group", { name: "Condition 1" });
    const stages = within(row).getByLabelText("Value");
    expect(within(stages).getAllByRole("group").map((g) => g.getAttribute("label"))).toEqual(["Sales", "Support"]);
    await userEvent.selectOptions(stages, "102");
    expect(onValue).toHaveBeenLastCalledWith({ all: [{ fact: "lead.stage_id", op: "equals", value: 102 }] });

    await userEvent.selectOptions(within(row).getByLabelText("Fact"), "lead.pipeline_id");
    expect(within(within(row).getByLabelText("Value")).getAllByRole("option").map((o) => o.textContent)).toEqual(["Choose a pipeline…", "Sales", "Support"]);
    await userEvent.selectOptions(within(row).getByLabelText("Operator"), "in");
    expect(within(row).getByLabelText("Value")).toHaveAttribute("type", "text");
  });
});
