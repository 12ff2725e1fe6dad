import { useTranslation } from "react-i18next";
import type { KommoPipeline } from "../../api/types";
import { useBuilder } from "./builderContext";
import { controlClass } from "./styles";

/** The value of a lead.pipeline_id or lead.stage_id test picked from the synced pipelines (stages grouped by pipeline). */
export function StageValueSelect({ fact, value, onChange, error, errorId }: { fact: string; value: unknown; onChange: (v: number | string) => void; error?: string; errorId?: string }) {
  const { t } = useTranslation();
  const { pipelines } = useBuilder();
  const live = (pipelines ?? []).filter((p: KommoPipeline) => !p.deleted_in_kommo);
  const known = fact === "lead.pipeline_id" ? live.some((p) => p.id === value) : live.some((p) => p.statuses.some((s) => s.id === value));
  return (
    <select
      aria-label={t("triggers.cond.value")}
      aria-invalid={Boolean(error) || undefined}
      aria-describedby={error ? errorId : undefined}
      className={controlClass(error)}
      value={value === "" || value === undefined ? "" : String(value)}
      onChange={(e) => onChange(e.target.value === "" ? "" : Number(e.target.value))}
    >
      <option value="">{fact === "lead.pipeline_id" ? t("triggers.params.choosePipeline") : t("triggers.params.chooseStage")}</option>
      {!known && typeof value === "number" && <option value={value}>{t("triggers.cond.unknownId", { id: value })}</option>}
      {fact === "lead.pipeline_id"
        ? live.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))
        : live.map((p) => (
            <optgroup key={p.id} label={p.name}>
              {p.statuses.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </optgroup>
          ))}
    </select>
  );
}
