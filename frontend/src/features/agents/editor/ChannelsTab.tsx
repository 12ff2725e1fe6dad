import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Agent } from "../../../api/types";
import { Button } from "../../../components/ui/Button";
import { Card } from "../../../components/ui/Card";
import { CheckboxField } from "../../../components/ui/fields";
import { ErrorState, PageSkeleton } from "../../../components/ui/states";
import { CHANNELS } from "../channels";
import { useSection } from "./useSection";

/** The channels the agent answers on. */
export function ChannelsTab({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const { query, put, saving } = useSection<{ channels: string[] }>(agent, "channels");
  const [chosen, setChosen] = useState<string[] | null>(null);
  if (query.isPending) return <PageSkeleton rows={2} />;
  if (query.isError) return <ErrorState error={query.error} />;
  const value = chosen ?? query.data.channels;
  return (
    <Card>
      <p className="mb-4 text-sm text-slate-500 dark:text-slate-400">{t("agentEditor.channelsHint")}</p>
      <div className="grid gap-3 sm:grid-cols-3">
        {CHANNELS.map((c) => (
          <CheckboxField key={c} label={t(`channels.${c}`)} checked={value.includes(c)} onChange={(on) => setChosen(on ? [...value, c] : value.filter((x) => x !== c))} />
        ))}
      </div>
      <div className="mt-6 flex justify-end">
        <Button loading={saving} onClick={() => put({ channels: value })}>
          {t("common.save")}
        </Button>
      </div>
    </Card>
  );
}
