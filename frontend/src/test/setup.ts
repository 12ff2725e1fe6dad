import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import "../i18n";

// Node's BroadcastChannel reaches every worker thread of the test run: one test file's logout would
// end another's session. The tests pass their own tabs (src/api/tabs.ts) where they need them.
delete (globalThis as { BroadcastChannel?: unknown }).BroadcastChannel;

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
});
