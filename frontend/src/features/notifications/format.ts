import type { Notification } from "./api";

/** Where a notification leads, from what its payload names (see the `notify()` calls of each app). */
export function notificationLink(notification: Pick<Notification, "kind" | "payload">): string | null {
  const payload = (notification.payload ?? {}) as Record<string, unknown>;
  if (typeof payload.conversation === "number") return `/conversations/${payload.conversation}`;
  if (typeof payload.provider === "string") return "/integrations";
  if (notification.kind === "member_joined") return "/settings?tab=team";
  return null;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "5 minutes ago" in the UI's language; null under a minute (the caller says "just now"). */
export function timeAgo(iso: string, language: string, now = Date.now()): string | null {
  const seconds = Math.max(0, (now - new Date(iso).getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (seconds >= size) return format.format(-Math.floor(seconds / size), unit);
  }
  return null;
}

/** The badge's text: 99+ past 99. */
export const badgeText = (count: number) => (count > 99 ? "99+" : String(count));
