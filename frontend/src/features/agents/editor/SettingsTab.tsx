import { useTranslation } from "react-i18next";
import { Card } from "../../../components/ui/Card";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../../../components/ui/fields";
import type { AgentErrors, AgentForm } from "../agentForm";
import { useModels } from "../api";
import { modelGroups, providerLabel } from "../modelStatus";
import { WorkingHoursEditor } from "../WorkingHoursEditor";

/** The agent's own fields: name, language, instructions, model and limits, approval, working hours. */
export function SettingsTab({ form, set, errors }: { form: AgentForm; set: <K extends keyof AgentForm>(key: K, value: AgentForm[K]) => void; errors: AgentErrors }) {
  const { t } = useTranslation();
  const models = useModels();
  const text = (key: keyof AgentForm) => ({
    value: form[key] as string,
    onChange: (e: { target: { value: string } }) => set(key, e.target.value as never),
    error: errors[key],
    name: key,
  });

  const modelOptions = models.data ?? [];
  const current = form.model;
  return (
    <div className="space-y-6">
      <Card className="grid gap-4 md:grid-cols-2">
        <TextField label={t("agents.name")} {...text("name")} />
        <SelectField label={t("agentEditor.language")} value={form.language} onChange={(e) => set("language", e.target.value)} error={errors.language}>
          {["auto", "en", "ru", "es", "pt"].map((l) => (
            <option key={l} value={l}>
              {t(`languages.${l}`)}
            </option>
          ))}
        </SelectField>
        <TextAreaField className="md:col-span-2" label={t("agentEditor.descriptionField")} rows={2} {...text("description")} />
        <TextAreaField className="md:col-span-2" label={t("agentEditor.instructions")} hint={t("agentEditor.instructionsHint")} rows={6} {...text("instructions")} />
      </Card>
      <Card className="grid gap-4 md:grid-cols-3">
        <SelectField label={t("agentEditor.model")} value={current} onChange={(e) => set("model", e.target.value)} error={errors.model} className="md:col-span-3">
          {!modelOptions.some((m) => `${m.provider}:${m.model_id}` === current) && <option value={current}>{current}</option>}
          {modelGroups(modelOptions).map(([provider, group]) => (
            <optgroup key={provider} label={providerLabel(t, provider, group[0].provider_name)}>
              {group.map((m) => (
                <option key={m.id} value={`${m.provider}:${m.model_id}`}>
                  {m.display_name}
                </option>
              ))}
            </optgroup>
          ))}
        </SelectField>
        <TextField label={t("agentEditor.temperature")} inputMode="decimal" {...text("temperature")} />
        <TextField label={t("agentEditor.maxTokens")} inputMode="numeric" {...text("max_tokens")} />
        <TextField label={t("agentEditor.maxReplies")} inputMode="numeric" hint={t("agentEditor.optional")} {...text("max_ai_replies_per_conversation")} />
        <TextField label={t("agentEditor.delay")} inputMode="numeric" {...text("response_delay_seconds")} />
        <TextField label={t("agentEditor.jitter")} inputMode="numeric" {...text("response_delay_jitter_seconds")} />
        <TextField label={t("agentEditor.humanPause")} inputMode="numeric" {...text("human_reply_pause_minutes")} />
      </Card>
      <Card className="grid gap-4 md:grid-cols-3">
        <div className="md:col-span-3">
          <CheckboxField label={t("agentEditor.approvalRequired")} hint={t("agentEditor.approvalHint")} checked={form.approval_required} onChange={(v) => set("approval_required", v)} />
        </div>
        <TextField label={t("agentEditor.approvalTimeout")} inputMode="numeric" hint={t("agentEditor.optional")} {...text("approval_timeout_minutes")} />
        <SelectField label={t("agentEditor.approvalTimeoutAction")} value={form.approval_timeout_action} onChange={(e) => set("approval_timeout_action", e.target.value as AgentForm["approval_timeout_action"])}>
          <option value="handoff">{t("agentEditor.timeoutHandoff")}</option>
          <option value="send">{t("agentEditor.timeoutSend")}</option>
        </SelectField>
        <TextField label={t("agentEditor.handoffKeywords")} hint={t("agentEditor.commaSeparated")} {...text("handoff_keywords")} />
      </Card>
      <Card className="space-y-4">
        <WorkingHoursEditor value={form.working_hours} onChange={(v) => set("working_hours", v)} error={errors.working_hours} />
        <div className="grid gap-4 md:grid-cols-2">
          <SelectField label={t("agentEditor.outsideHours")} value={form.outside_hours_action} onChange={(e) => set("outside_hours_action", e.target.value as AgentForm["outside_hours_action"])}>
            <option value="answer">{t("agentEditor.outsideAnswer")}</option>
            <option value="silent">{t("agentEditor.outsideSilent")}</option>
            <option value="fallback">{t("agentEditor.outsideFallback")}</option>
          </SelectField>
          <TextAreaField label={t("agentEditor.fallbackMessage")} rows={2} {...text("fallback_message")} />
        </div>
      </Card>
    </div>
  );
}
