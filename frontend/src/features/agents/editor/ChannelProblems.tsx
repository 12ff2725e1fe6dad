import { TriangleAlert } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { AgentChannel, ChannelStatus } from "../../../api/types";

/** The channels among `channels` that no customer message can reach an agent on now, by reason. */
export function unreachable(channels: readonly string[], status: readonly ChannelStatus[]): Map<string, AgentChannel[]> {
  const byProblem = new Map<string, AgentChannel[]>();
  for (const row of status) {
    if (row.ready || !channels.includes(row.channel)) continue;
    byProblem.set(row.problem, [...(byProblem.get(row.problem) ?? []), row.channel]);
  }
  return byProblem;
}

/** A warning per reason the chosen channels cannot reach the agent (Kommo not connected…), with the way to fix it. */
export function ChannelProblems({ channels, status }: { channels: readonly AgentChannel[]; status: readonly ChannelStatus[] }) {
  const { t } = useTranslation();
  const problems = [...unreachable(channels, status)];
  if (problems.length === 0) return null;
  return (
    <div className="space-y-2">
      {problems.map(([problem, names]) => {
        const list = names.map((c) => t(`channels.${c}`)).join(", ");
        return (
        <div key={problem} role="alert" className="flex items-start gap-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950/40 dark:text-amber-200 dark:ring-amber-900">
          <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
          <p>
            {t(`channelStatus.${problem}`, { channels: list, defaultValue: t("channelStatus.unknown", { channels: list }) })}{" "}
            <Link to="/integrations" className="font-medium underline underline-offset-2 hover:text-amber-700 dark:hover:text-amber-100">
              {t("agentEditor.kommo.openIntegrations")}
            </Link>
          </p>
        </div>
        );
      })}
    </div>
  );
}
