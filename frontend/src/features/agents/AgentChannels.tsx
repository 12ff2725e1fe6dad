import { TriangleAlert } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { Agent, ChannelStatus } from "../../api/types";
import { Badge } from "../../components/ui/Badge";
import { unreachable } from "./editor/ChannelProblems";

/**
 * The agent's channels in the list: a channel no customer message can reach it on now is amber,
 * with why; an agent switched on for such channels says so under them (it would wait in silence).
 */
export function AgentChannels({ agent, status }: { agent: Agent; status: readonly ChannelStatus[] }) {
  const { t } = useTranslation();
  if (agent.channels.length === 0) return <span className="text-slate-400">—</span>;
  const problems = unreachable(agent.channels, status);
  const problemOf = new Map<string, string>([...problems].flatMap(([problem, channels]) => channels.map((c) => [c, problem] as const)));
  const names = (channels: readonly string[]) => channels.map((c) => t(`channels.${c}`)).join(", ");
  return (
    <div>
      <div className="flex flex-wrap gap-1">
        {agent.channels.map((c) => {
          const problem = problemOf.get(c);
          if (!problem) return <Badge key={c}>{t(`channels.${c}`)}</Badge>;
          const why = t(`channelStatus.${problem}`, { channels: t(`channels.${c}`), defaultValue: t("channelStatus.unknown", { channels: t(`channels.${c}`) }) });
          return (
            <span key={c} title={why}>
              <Badge tone="amber">
                <TriangleAlert className="size-3" aria-hidden />
                {t(`channels.${c}`)}
                <span className="sr-only">: {why}</span>
              </Badge>
            </span>
          );
        })}
      </div>
      {agent.is_active && problemOf.size > 0 && (
        <p className="mt-1 text-xs text-amber-800 dark:text-amber-300">{t("channelStatus.activeUnreachable", { channels: names([...problemOf.keys()]) })}</p>
      )}
    </div>
  );
}
