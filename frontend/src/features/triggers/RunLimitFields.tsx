import { useTranslation } from "react-i18next";
import { CheckboxField, SelectField, TextField } from "../../components/ui/fields";
import type { LimitPeriod, LimitScope } from "./api";
import type { TriggerDraft } from "./triggerDraft";

const SCOPES: LimitScope[] = ["conversation", "lead"];
const PERIODS: LimitPeriod[] = ["ever", "day", "week", "month"];

/** How often the trigger may fire (empty: no limit), per conversation or lead, over which period; and whether a firing stops the AI's reply. */
export function RunLimitFields({
  draft,
  set,
  errors,
  scopes = SCOPES,
  periods = PERIODS,
}: {
  draft: TriggerDraft;
  set: <K extends keyof TriggerDraft>(key: K, value: TriggerDraft[K]) => void;
  errors: Record<string, string>;
  scopes?: string[];
  periods?: string[];
}) {
  const { t } = useTranslation();
  const limited = draft.run_limit !== null;
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField
          label={t("triggers.limit.count")}
          type="number"
          min={1}
          placeholder={t("triggers.limit.unlimited")}
          value={draft.run_limit === null ? "" : String(draft.run_limit)}
          error={errors.run_limit}
          hint={limited ? undefined : t("triggers.limit.unlimitedHint")}
          onChange={(e) => set("run_limit", e.target.value === "" ? null : Number(e.target.value))}
        />
        <SelectField label={t("triggers.limit.scope")} value={draft.run_limit_scope} disabled={!limited} error={errors.run_limit_scope} onChange={(e) => set("run_limit_scope", e.target.value as LimitScope)}>
          {scopes.map((s) => (
            <option key={s} value={s}>
              {t(`triggers.limit.scopes.${s}`, { defaultValue: s })}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("triggers.limit.period")} value={draft.run_limit_period} disabled={!limited} error={errors.run_limit_period} onChange={(e) => set("run_limit_period", e.target.value as LimitPeriod)}>
          {periods.map((p) => (
            <option key={p} value={p}>
              {t(`triggers.limit.periods.${p}`, { defaultValue: p })}
            </option>
          ))}
        </SelectField>
      </div>
      <CheckboxField label={t("triggers.limit.stopAi")} hint={t("triggers.limit.stopAiHint")} checked={draft.stop_ai_reply} onChange={(v) => set("stop_ai_reply", v)} />
    </div>
  );
}
