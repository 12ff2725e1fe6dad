/** How a figure changed against the previous period of the same length. */
export interface Change {
  /** "new": nothing to compare with (the previous period had 0 or no value). */
  direction: "up" | "down" | "flat" | "new" | "none";
  /** The change in whole percent of the previous value, without its sign (null for new/none). */
  percent: number | null;
}

export function compare(current: number | null | undefined, previous: number | null | undefined): Change {
  if (current == null || previous == null) return { direction: "none", percent: null };
  if (previous === 0) return current === 0 ? { direction: "flat", percent: 0 } : { direction: "new", percent: null };
  const percent = Math.round(((current - previous) / Math.abs(previous)) * 100);
  if (percent === 0) return { direction: "flat", percent: 0 };
  return { direction: percent > 0 ? "up" : "down", percent: Math.abs(percent) };
}

/** Whether the change is good news: more replies are, a slower first response is not. */
export function tone(change: Change, better: "up" | "down"): "good" | "bad" | "neutral" {
  if (change.direction !== "up" && change.direction !== "down") return "neutral";
  return change.direction === better ? "good" : "bad";
}

/** A duration in seconds, short: 45 s, 3 min, 2 h, 1 d. */
export function durationParts(seconds: number): { value: number; unit: "s" | "min" | "h" | "d" } {
  if (seconds < 60) return { value: Math.round(seconds), unit: "s" };
  if (seconds < 3600) return { value: Math.round(seconds / 60), unit: "min" };
  if (seconds < 86400) return { value: Math.round(seconds / 360) / 10, unit: "h" };
  return { value: Math.round(seconds / 8640) / 10, unit: "d" };
}
