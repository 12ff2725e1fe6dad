import { Plus, X } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { CheckboxField, inputClass, SelectField, TextAreaField, TextField } from "../../components/ui/fields";
import { useKommoPipelines } from "../integrations/api";
import { WorkingHoursEditor } from "../agents/WorkingHoursEditor";
import { START_ON, STOP_ON, type ChainDraft } from "./chainDraft";

type Set = <K extends keyof ChainDraft>(key: K, value: ChainDraft[K]) => void;

/** The chain's name, when it starts and stops, and when its messages may go out. */
export function ChainSettings({ value, set, errors }: { value: ChainDraft; set: Set; errors: Record<string, string> }) {
  const { t } = useTranslation();
  return (
    <div className="max-w-3xl space-y-4">
      <TextField label={t("chains.fields.name")} value={value.name} onChange={(e) => set("name", e.target.value)} error={errors.name} required />
      <TextAreaField label={t("chains.fields.description")} rows={2} value={value.description} onChange={(e) => set("description", e.target.value)} />
      <CheckboxField label={t("chains.fields.active")} checked={value.is_active} onChange={(v) => set("is_active", v)} />
      <SelectField label={t("chains.fields.startOn")} value={value.start_on} onChange={(e) => set("start_on", e.target.value as ChainDraft["start_on"])}>
        {START_ON.map((on) => (
          <option key={on} value={on}>
            {t(`chains.startOn.${on}`)}
          </option>
        ))}
      </SelectField>
      {value.start_on === "stage" && <StagePicker value={value} set={set} error={errors.start_stage_id ?? errors.start_pipeline_id} />}
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t("chains.fields.stopOn")}</legend>
        <div className="mt-1 grid gap-1 sm:grid-cols-2">
          {STOP_ON.map((on) => (
            <CheckboxField
              key={on}
              label={t(`chains.stopOn.${on}`)}
              checked={value.stop_on.includes(on)}
              onChange={(checked) => set("stop_on", checked ? [...value.stop_on, on] : value.stop_on.filter((x) => x !== on))}
            />
          ))}
        </div>
      </fieldset>
      <WorkingHoursEditor value={value.working_hours} onChange={(v) => set("working_hours", v)} error={errors.working_hours} />
      <HolidaysEditor value={value.holidays} onChange={(v) => set("holidays", v)} error={errors.holidays} />
    </div>
  );
}

/** The stage whose leads start the chain: picked from the synced Kommo pipelines. */
function StagePicker({ value, set, error }: { value: ChainDraft; set: Set; error?: string }) {
  const { t } = useTranslation();
  const pipelines = (useKommoPipelines().data ?? []).filter((p) => !p.deleted_in_kommo);
  const choice = value.start_stage_id ? `${value.start_pipeline_id ?? ""}:${value.start_stage_id}` : "";
  return (
    <SelectField
      label={t("chains.fields.stage")}
      value={choice}
      error={error}
      onChange={(e) => {
        const [pipeline, stage] = e.target.value.split(":");
        set("start_pipeline_id", pipeline ? Number(pipeline) : null);
        set("start_stage_id", stage ? Number(stage) : null);
      }}
    >
      <option value="">{t("chains.fields.pickStage")}</option>
      {pipelines.map((pipeline) => (
        <optgroup key={pipeline.id} label={pipeline.name}>
          {pipeline.statuses.map((status) => (
            <option key={status.id} value={`${pipeline.id}:${status.id}`}>
              {status.name}
            </option>
          ))}
        </optgroup>
      ))}
    </SelectField>
  );
}

/** Days the chain sends nothing (its steps wait for the next working day), as dates. */
export function HolidaysEditor({ value, onChange, error }: { value: string[]; onChange: (v: string[]) => void; error?: string }) {
  const { t } = useTranslation();
  const [day, setDay] = useState("");
  const add = () => {
    if (day && !value.includes(day)) onChange([...value, day].sort());
    setDay("");
  };
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t("chains.fields.holidays")}</legend>
      <ul className="mt-1 flex flex-wrap gap-2">
        {value.map((date) => (
          <li key={date} className="flex items-center gap-1 rounded bg-slate-100 px-2 py-1 text-sm dark:bg-slate-800">
            {date}
            <button type="button" aria-label={t("chains.fields.removeHoliday", { date })} className="text-slate-400 hover:text-red-600" onClick={() => onChange(value.filter((d) => d !== date))}>
              <X className="size-3" aria-hidden />
            </button>
          </li>
        ))}
      </ul>
      <div className="mt-2 flex gap-2">
        <input type="date" aria-label={t("chains.fields.holiday")} className={`${inputClass} max-w-44`} value={day} onChange={(e) => setDay(e.target.value)} />
        <Button variant="secondary" size="sm" disabled={!day} onClick={add}>
          <Plus className="size-4" aria-hidden />
          {t("chains.fields.addHoliday")}
        </Button>
      </div>
      {error && <p className="mt-2 text-sm text-red-600 dark:text-red-400">{error}</p>}
    </fieldset>
  );
}
