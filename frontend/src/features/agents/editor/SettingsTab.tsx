import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Agent } from "../../../api/types";
import { Button } from "../../../components/ui/Button";
import { Card } from "../../../components/ui/Card";
import { CheckboxField, FormAlert, SelectField, TextAreaField, TextField } from "../../../components/ui/fields";
import { splitApiError } from "../../../components/ui/formErrors";
import { useToast } from "../../../components/ui/toast";
import { AGENT_FORM_FIELDS, formFromAgent, inputFromForm, validateAgent, type AgentErrors, type AgentForm } from "../agentForm";
import { agentApi, useAgentMutation, useModels } from "../api";
import { modelGroups, providerLabel } from "../modelStatus";
import { WorkingHoursEditor } from "../WorkingHoursEditor";

/** Map the API's field names onto the form's (the model picker holds provider and id together). */
function agentApiErrors(error: unknown) {
  const split = splitApiError(error, [...AGENT_FORM_FIELDS, "model_provider", "model_id"] as const);
  const fieldErrors: AgentErrors = { ...split.fieldErrors };
  const model = split.fieldErrors.model_provider ?? split.fieldErrors.model_id;
  if (model) fieldErrors.model = model;
  return { fieldErrors, formError: split.formError };
}

/** The agent's own fields: name, language, instructions, model and limits, approval, working hours. */
export function SettingsTab({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const toast = useToast();
  const models = useModels();
  const [form, setForm] = useState<AgentForm>(() => formFromAgent(agent));
  const [errors, setErrors] = useState<AgentErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const save = useAgentMutation((f: AgentForm) => agentApi.update(agent.id, inputFromForm(f)));
  const set = <K extends keyof AgentForm>(key: K, value: AgentForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const text = (key: keyof AgentForm) => ({
    value: form[key] as string,
    onChange: (e: { target: { value: string } }) => set(key, e.target.value as never),
    error: errors[key],
    name: key,
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local = validateAgent(form, t);
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length) return;
    save.mutate(form, {
      onSuccess: () => toast.success(t("common.saved")),
      onError: (error) => {
        const split = agentApiErrors(error);
        setErrors(split.fieldErrors);
        setFormError(split.formError);
      },
    });
  }

  const modelOptions = models.data ?? [];
  const current = form.model;
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-6">
      <FormAlert>{formError}</FormAlert>
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
      <div className="flex justify-end">
        <Button type="submit" loading={save.isPending}>
          {t("common.save")}
        </Button>
      </div>
    </form>
  );
}
