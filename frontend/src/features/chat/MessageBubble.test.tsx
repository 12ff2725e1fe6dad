import { describe, expect, it } from "vitest";
import { messageTime } from "./MessageBubble";

describe("messageTime", () => {
  const now = new Date(2026, 10, 30, 15, 0);

  it("shows only the time for a message of today", () => {
    const text = messageTime(new Date(2026, 10, 30, 9, 5).toISOString(), "en", now);
    expect(text).toMatch(/09:05/);
    expect(text).not.toMatch(/11\/30/);
  });

  it("adds the date for an older message", () => {
    const text = messageTime(new Date(2026, 10, 28, 9, 5).toISOString(), "en", now);
    expect(text).toMatch(/11\/28\/26/);
    expect(text).toMatch(/9:05/);
  });
});
