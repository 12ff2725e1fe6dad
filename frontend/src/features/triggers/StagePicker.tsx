import { useTranslation } from "react-i18next";
import { SelectField, TextField } from "../../components/ui/fields";
import { usePipelineCatalog } from "../agents/editor/useKommoCatalog";

/** change_stage's pipeline and stage: picked from the synced pipelines, else typed as ids. */
export function StagePicker({
  pipelineId,
  stageId,
  onChange,
  errors,
}: {
  pipelineId: unknown;
  stageId: unknown;
  onChange: (pipeline_id: number | null, stage_id: number | null) => void;
  errors: Record<string, string>;
}) {
  const { t } = useTranslation();
  const catalog = usePipelineCatalog();
  const num = (raw: string) => (raw === "" ? null : Number(raw));
  if (catalog.state !== "ready") {
    return (
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label={t("triggers.params.pipeline_id")} type="number" value={String(pipelineId ?? "")} error={errors.pipeline_id} onChange={(e) => onChange(num(e.target.value), stageId as number | null)} />
        <TextField label={t("triggers.params.stage_id")} type="number" value={String(stageId ?? "")} error={errors.stage_id} hint={t("triggers.params.noCatalog")} onChange={(e) => onChange(pipelineId as number | null, num(e.target.value))} />
      </div>
    );
  }
  const pipelines = catalog.pipelines.filter((p) => !p.deleted_in_kommo);
  const pipeline = pipelines.find((p) => p.id === pipelineId);
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <SelectField label={t("triggers.params.pipeline_id")} value={String(pipelineId ?? "")} error={errors.pipeline_id} onChange={(e) => onChange(num(e.target.value), null)}>
        <option value="">{t("triggers.params.choosePipeline")}</option>
        {pipelines.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <SelectField label={t("triggers.params.stage_id")} value={String(stageId ?? "")} error={errors.stage_id} disabled={!pipeline} onChange={(e) => onChange(pipelineId as number, num(e.target.value))}>
        <option value="">{t("triggers.params.chooseStage")}</option>
        {pipeline?.statuses.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
