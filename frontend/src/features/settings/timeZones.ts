import type { Role } from "../../api/types";

/** Admins and owners change the workspace's name and time zone (the API's rule). */
export function canEditWorkspace(role: Role | undefined): boolean {
  return role === "owner" || role === "admin";
}

/** The IANA time zones the browser knows, with UTC and the current value always among them (the
 * server validates against zoneinfo). */
export function timeZoneOptions(current: string, supported: () => string[] = () => Intl.supportedValuesOf("timeZone")): string[] {
  let zones: string[];
  try {
    zones = supported();
  } catch {
    zones = []; // an old browser without Intl.supportedValuesOf: UTC and the current zone only
  }
  return [...new Set(["UTC", current, ...zones].filter(Boolean))].sort((a, b) => (a === "UTC" ? -1 : b === "UTC" ? 1 : a.localeCompare(b)));
}
