import { describe, expect, it } from "vitest";
import i18n from "../../i18n";
import type { Agent } from "../../api/types";
import { formFromAgent, inputFromForm, validateAgent, workingHoursErrors } from "./agentForm";

const t = i18n.getFixedT("en");
const agent = {
  id: 1,
  name: "Support",
  channels: [],
  created_at: "",
  updated_at: "",
  model_provider: "offline",
  model_id: "offline-extractive",
  temperature: 0.3,
  max_tokens: 800,
  response_delay_seconds: 10,
  response_delay_jitter_seconds: 5,
  approval_timeout_minutes: null,
  working_hours: { mon: [{ start: "09:00", end: "18:00" }] },
  handoff_keywords: ["manager", "human"],
} as unknown as Agent;

describe("agent form", () => {
  it("round-trips an agent into the API's input", () => {
    const input = inputFromForm(formFromAgent(agent));
    expect(input).toMatchObject({
      name: "Support",
      model_provider: "offline",
      model_id: "offline-extractive",
      temperature: 0.3,
      response_delay_seconds: 10,
      approval_timeout_minutes: null,
      handoff_keywords: ["manager", "human"],
      working_hours: { mon: [{ start: "09:00", end: "18:00" }] },
    });
  });

  it("keeps a model id containing colons whole", () => {
    const form = { ...formFromAgent(agent), model: "openai_compatible:llama3:8b" };
    expect(inputFromForm(form)).toMatchObject({ model_provider: "openai_compatible", model_id: "llama3:8b" });
  });

  it("accepts a valid form", () => {
    expect(validateAgent(formFromAgent(agent), t)).toEqual({});
  });

  it("mirrors the API's field checks", () => {
    const errors = validateAgent(
      {
        ...formFromAgent(agent),
        name: " ",
        temperature: "2.5",
        max_tokens: "8",
        response_delay_seconds: "5",
        response_delay_jitter_seconds: "9",
        approval_timeout_minutes: "1.5",
      },
      t,
    );
    expect(errors).toEqual({
      name: "This field is required.",
      temperature: "Must be between 0 and 2.",
      max_tokens: "Must be between 16 and 32000.",
      response_delay_jitter_seconds: "Jitter cannot exceed the delay.",
      approval_timeout_minutes: "Enter a whole number.",
    });
  });

  it("checks working hours like the server", () => {
    expect(workingHoursErrors({ mon: [{ start: "09:00", end: "24:00" }] }, t)).toEqual([]);
    expect(workingHoursErrors({ tue: [{ start: "18:00", end: "09:00" }] }, t)).toEqual(["Tuesday: 18:00–09:00 ends before it starts."]);
    expect(workingHoursErrors({ wed: [{ start: "9:00", end: "10:00" }] }, t)).toEqual(["Wednesday: use HH:MM times."]);
    expect(
      workingHoursErrors(
        {
          fri: [
            { start: "09:00", end: "13:00" },
            { start: "12:00", end: "18:00" },
          ],
        },
        t,
      ),
    ).toEqual(["Friday: windows overlap."]);
    const form = { ...formFromAgent(agent), working_hours: { sat: [{ start: "10:00", end: "10:00" }] } };
    expect(validateAgent(form, t).working_hours).toBe("Saturday: 10:00–10:00 ends before it starts.");
  });
});
