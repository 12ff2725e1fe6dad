import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { SelectField, TextAreaField, TextField } from "./fields";

// With both a grey and a red ring class on one element, the stylesheet's order decides, and the grey
// came later: an invalid field looked valid. Each field carries one set of ring colours.
describe("field error rings", () => {
  it("an invalid field has the red ring and not the resting grey one", () => {
    render(
      <>
        <TextField label="Name" error="Required" />
        <TextAreaField label="Text" error="Too long" />
        <SelectField label="Kind" error="Pick one">
          <option>a</option>
        </SelectField>
      </>,
    );
    for (const name of ["Name", "Text", "Kind"]) {
      const control = screen.getByLabelText(name);
      expect(control.className).toContain("ring-red-500");
      expect(control.className).not.toContain("ring-slate-300");
    }
  });

  it("a valid field has the grey ring only", () => {
    render(<TextField label="Name" />);
    expect(screen.getByLabelText("Name").className).toContain("ring-slate-300");
    expect(screen.getByLabelText("Name").className).not.toContain("ring-red-500");
  });
});
