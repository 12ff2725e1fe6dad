import { Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Agent, PipelineItem } from "../../../api/types";
import { Button } from "../../../components/ui/Button";
import { Card } from "../../../components/ui/Card";
import { FormAlert, TextField } from "../../../components/ui/fields";
import { splitApiError } from "../../../components/ui/formErrors";
import { ErrorState, PageSkeleton } from "../../../components/ui/states";
import { useSection } from "./useSection";

function parseIds(text: string): number[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** The CRM pipelines (and stages) whose deals the agent works on; none means all. */
export function PipelinesTab({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const { query, put, saving } = useSection<{ pipelines: PipelineItem[] }>(agent, "pipelines");
  const [rows, setRows] = useState<Array<{ pipeline: string; stages: string }> | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (query.isPending) return <PageSkeleton rows={2} />;
  if (query.isError) return <ErrorState error={query.error} />;
  const value = rows ?? query.data.pipelines.map((p) => ({ pipeline: String(p.pipeline_id), stages: (p.stage_ids ?? []).join(", ") }));
  const update = (i: number, patch: Partial<(typeof value)[number]>) => setRows(value.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  function onSave() {
    const ids = value.map((r) => Number(r.pipeline));
    if (ids.some((n) => !Number.isInteger(n) || n < 1)) return setError(t("agentEditor.pipelineInvalid"));
    if (new Set(ids).size !== ids.length) return setError(t("agentEditor.pipelineTwice"));
    setError(null);
    put({ pipelines: value.map((r) => ({ pipeline_id: Number(r.pipeline), stage_ids: parseIds(r.stages) })) }, (e) => setError(splitApiError(e, []).formError));
  }
  return (
    <Card className="space-y-4">
      <p className="text-sm text-slate-500 dark:text-slate-400">{t("agentEditor.pipelinesHint")}</p>
      <FormAlert>{error}</FormAlert>
      {value.length === 0 && <p className="text-sm text-slate-400">{t("agentEditor.allPipelines")}</p>}
      {value.map((row, i) => (
        <div key={i} className="flex flex-wrap items-end gap-3">
          <TextField label={t("agentEditor.pipelineId")} value={row.pipeline} onChange={(e) => update(i, { pipeline: e.target.value })} inputMode="numeric" />
          <TextField className="flex-1" label={t("agentEditor.stageIds")} hint={t("agentEditor.stagesHint")} value={row.stages} onChange={(e) => update(i, { stages: e.target.value })} />
          <Button variant="ghost" aria-label={t("common.remove")} onClick={() => setRows(value.filter((_, j) => j !== i))}>
            <Trash2 className="size-4" aria-hidden />
          </Button>
        </div>
      ))}
      <div className="flex justify-between">
        <Button variant="secondary" onClick={() => setRows([...value, { pipeline: "", stages: "" }])}>
          <Plus className="size-4" aria-hidden />
          {t("agentEditor.addPipeline")}
        </Button>
        <Button loading={saving} onClick={onSave}>
          {t("common.save")}
        </Button>
      </div>
    </Card>
  );
}
