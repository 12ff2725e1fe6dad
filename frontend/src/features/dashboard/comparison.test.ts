import { describe, expect, it } from "vitest";
import { compare, durationParts, tone } from "./comparison";

describe("the change against the previous period", () => {
  it("is a whole percent of the previous value, with its direction", () => {
    expect(compare(120, 100)).toEqual({ direction: "up", percent: 20 });
    expect(compare(75, 100)).toEqual({ direction: "down", percent: 25 });
    expect(compare(1, 3)).toEqual({ direction: "down", percent: 67 });
    expect(compare(0.5, 0.4)).toEqual({ direction: "up", percent: 25 }); // rates compare the same way
    expect(compare(100, 100)).toEqual({ direction: "flat", percent: 0 });
    expect(compare(1000, 1001)).toEqual({ direction: "flat", percent: 0 }); // rounds to 0 %
  });

  it("has nothing to divide by after an empty period", () => {
    expect(compare(5, 0)).toEqual({ direction: "new", percent: null });
    expect(compare(0, 0)).toEqual({ direction: "flat", percent: 0 });
    expect(compare(null, 4)).toEqual({ direction: "none", percent: null });
    expect(compare(0.5, null)).toEqual({ direction: "none", percent: null });
  });

  it("is good or bad news depending on the figure", () => {
    expect(tone(compare(120, 100), "up")).toBe("good");
    expect(tone(compare(120, 100), "down")).toBe("bad"); // slower replies, more handoffs
    expect(tone(compare(5, 0), "up")).toBe("neutral");
  });

  it("shows durations in the unit that reads best", () => {
    expect(durationParts(8)).toEqual({ value: 8, unit: "s" });
    expect(durationParts(150)).toEqual({ value: 3, unit: "min" });
    expect(durationParts(5400)).toEqual({ value: 1.5, unit: "h" });
    expect(durationParts(172800)).toEqual({ value: 2, unit: "d" });
  });
});
