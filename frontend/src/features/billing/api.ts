import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import type { components } from "../../api/schema";

export type Plan = components["schemas"]["PlanOutput"];
export type Plans = components["schemas"]["PlansOutput"];
export type PlanUsage = components["schemas"]["PlanUsageOutput"];
export type LimitUsage = components["schemas"]["LimitUsageOutput"];
export type Metric = LimitUsage["metric"];

/** The limits in the order the page shows them (the plan's fields of the same names). */
export const METRICS: Metric[] = ["ai_replies_per_month", "agents", "seats", "kb_storage_mb", "channels"];

/** The plans with their limits, and which one the workspace is on. */
export function usePlans() {
  const key = useWsKey();
  return useQuery({ queryKey: key("billing", "plans"), queryFn: ({ signal }) => api.get<Plans>("/api/billing/plans", { signal }) });
}

/** The workspace's plan and its use of each limit this period. */
export function usePlanUsage() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("billing", "usage"),
    queryFn: ({ signal }) => api.get<PlanUsage>("/api/billing/usage", { signal }),
    refetchInterval: 60_000,
  });
}

/** How full a limit is: warning from 80 %, full at 100 %. */
export function usageLevel(percent: number | null | undefined): "ok" | "warning" | "full" {
  if (percent == null) return "ok";
  if (percent >= 100) return "full";
  return percent >= 80 ? "warning" : "ok";
}
