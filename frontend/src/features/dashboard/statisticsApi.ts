import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import type { components } from "../../api/schema";

export type Dashboard = components["schemas"]["DashboardOutput"];
export type Figures = components["schemas"]["DashboardFiguresOutput"];
export type DayFigures = components["schemas"]["DashboardDayOutput"];
export const PERIODS = ["7d", "30d", "90d"] as const;
export type Period = (typeof PERIODS)[number];

/** The dashboard's figures over the period and the one before it, read from the daily aggregates. */
export function useDashboardStatistics(period: Period) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("statistics", "dashboard", period),
    queryFn: ({ signal }) => api.get<Dashboard>(`/api/statistics/dashboard?period=${period}`, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}
