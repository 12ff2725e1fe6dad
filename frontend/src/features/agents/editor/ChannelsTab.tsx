import { useTranslation } from "react-i18next";
import type { AgentChannel } from "../../../api/types";
import { Card } from "../../../components/ui/Card";
import { CheckboxField, FormAlert } from "../../../components/ui/fields";
import { useChannelStatus } from "../api";
import { AGENT_CHANNELS } from "../channels";
import { tidy } from "./agentDraft";
import { ChannelProblems } from "./ChannelProblems";

/**
 * The channels the agent answers on, each warned about when no customer message on it can reach the
 * agent now (a messenger without Kommo connected). The playground is not among them: it answers with
 * whichever agent is picked there.
 */
export function ChannelsTab({ value, onChange, error }: { value: AgentChannel[]; onChange: (channels: AgentChannel[]) => void; error?: string }) {
  const { t } = useTranslation();
  const status = useChannelStatus();
  return (
    <Card className="space-y-4">
      <FormAlert>{error}</FormAlert>
      <p className="text-sm text-slate-500 dark:text-slate-400">{t("agentEditor.channelsHint")}</p>
      <div className="grid gap-3 sm:grid-cols-3">
        {AGENT_CHANNELS.map((c) => (
          <CheckboxField key={c} label={t(`channels.${c}`)} checked={value.includes(c)} onChange={(on) => onChange(tidy.channels(on ? [...value, c] : value.filter((x) => x !== c)))} />
        ))}
      </div>
      <ChannelProblems channels={value} status={status.data ?? []} />
      <p className="text-sm text-slate-500 dark:text-slate-400">{t("agentEditor.playgroundAlways")}</p>
    </Card>
  );
}
