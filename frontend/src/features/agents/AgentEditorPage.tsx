import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Plus, RotateCcw, Trash2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import { loadMoreProps, usePagedList } from "../../api/paging";
import type { Agent, AgentVersion, CrmField, Paginated, PipelineItem, UpdateRule, UpdateRuleInput, VersionDiff } from "../../api/types";
import { Button } from "../../components/ui/Button";
import { Badge } from "../../components/ui/Badge";
import { Card } from "../../components/ui/Card";
import { CheckboxField, FormAlert, SelectField, TextAreaField, TextField } from "../../components/ui/fields";
import { Switch } from "../../components/ui/Switch";
import { Tabs } from "../../components/ui/Tabs";
import { splitApiError } from "../../components/ui/formErrors";
import { LoadMore } from "../../components/ui/LoadMore";
import { Modal } from "../../components/ui/Modal";
import { useConfirm } from "../../components/ui/confirm";
import { EmptyState, ErrorState, PageHeader, PageSkeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { CategoryPicker } from "../knowledge/CategoryPicker";
import { AGENT_FORM_FIELDS, formFromAgent, inputFromForm, validateAgent, type AgentErrors, type AgentForm } from "./agentForm";
import { agentApi, useAgent, useAgentMutation, useModels } from "./api";
import { CHANNELS } from "./channels";
import { WorkingHoursEditor } from "./WorkingHoursEditor";

const TABS = ["settings", "channels", "pipelines", "knowledge", "crm", "rules", "versions"] as const;
type Tab = (typeof TABS)[number];

export function AgentEditorPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const agent = useAgent(id);
  const toast = useToast();
  const toggle = useAgentMutation((on: boolean) => agentApi.toggle(id, on));
  const [tab, setTab] = useState<Tab>("settings");
  if (agent.isPending) return <PageSkeleton />;
  if (agent.isError) return <ErrorState error={agent.error} onRetry={() => void agent.refetch()} />;
  return (
    <>
      <Link to="/agents" className="mb-2 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-700 dark:hover:text-slate-300">
        <ArrowLeft className="size-4" aria-hidden />
        {t("agents.title")}
      </Link>
      <PageHeader
        title={agent.data.name}
        description={t("agentEditor.version", { version: agent.data.version })}
        actions={
          <label className="flex items-center gap-2 text-sm">
            {agent.data.is_active ? t("agents.active") : t("agents.inactive")}
            <Switch checked={agent.data.is_active ?? false} label={t("agents.toggleLabel", { name: agent.data.name })} onChange={(on) => toggle.mutate(on, { onError: toast.error })} />
          </label>
        }
      />
      <Tabs label={t("agentEditor.sections")} tabs={TABS.map((k) => [k, t(`agentEditor.tabs.${k}`)] as const)} value={tab} onChange={setTab} />
      <div role="tabpanel">
        {tab === "settings" && <SettingsTab agent={agent.data} key={agent.data.version} />}
        {tab === "channels" && <ChannelsTab agent={agent.data} />}
        {tab === "pipelines" && <PipelinesTab agent={agent.data} />}
        {tab === "knowledge" && <KnowledgeTab agent={agent.data} />}
        {tab === "crm" && <CrmTab agent={agent.data} />}
        {tab === "rules" && <RulesTab agent={agent.data} />}
        {tab === "versions" && <VersionsTab agent={agent.data} />}
      </div>
    </>
  );
}

/** Map the API's field names onto the form's (the model picker holds provider and id together). */
function agentApiErrors(error: unknown) {
  const split = splitApiError(error, [...AGENT_FORM_FIELDS, "model_provider", "model_id"] as const);
  const fieldErrors: AgentErrors = { ...split.fieldErrors };
  const model = split.fieldErrors.model_provider ?? split.fieldErrors.model_id;
  if (model) fieldErrors.model = model;
  return { fieldErrors, formError: split.formError };
}

function SettingsTab({ agent }: { agent: Agent }) {
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
          {modelOptions.map((m) => (
            <option key={m.id} value={`${m.provider}:${m.model_id}`}>
              {m.display_name} ({m.provider})
            </option>
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

/** GET/PUT one configuration section of the agent. */
function useSection<T>(agent: Agent, path: string) {
  const key = useWsKey();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: key("agent", agent.id, path),
    queryFn: ({ signal }) => api.get<T>(`/api/agents/${agent.id}/${path}`, { signal }),
  });
  const save = useAgentMutation((body: T) => api.put<T>(`/api/agents/${agent.id}/${path}`, body));
  const put = (body: T, onError?: (e: unknown) => void) =>
    save.mutate(body, {
      onSuccess: (data) => {
        queryClient.setQueryData(key("agent", agent.id, path), data);
        toast.success(t("common.saved"));
      },
      onError: onError ?? toast.error,
    });
  return { query, put, saving: save.isPending };
}

function ChannelsTab({ agent }: { agent: Agent }) {
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

function parseIds(text: string): number[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

function PipelinesTab({ agent }: { agent: Agent }) {
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

function KnowledgeTab({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const { query, put, saving } = useSection<{ category_ids: number[] }>(agent, "knowledge-base");
  const [chosen, setChosen] = useState<number[] | null>(null);
  if (query.isPending) return <PageSkeleton rows={2} />;
  if (query.isError) return <ErrorState error={query.error} />;
  const value = chosen ?? query.data.category_ids;
  return (
    <Card>
      <p className="mb-4 text-sm text-slate-500 dark:text-slate-400">{value.length ? t("agentEditor.scopeSome") : t("agentEditor.scopeAll")}</p>
      <CategoryPicker value={value} onChange={setChosen} />
      <div className="mt-6 flex justify-end">
        <Button loading={saving} onClick={() => put({ category_ids: value })}>
          {t("common.save")}
        </Button>
      </div>
    </Card>
  );
}

const FIELD_TYPES = ["text", "textarea", "numeric", "date", "select", "multiselect", "radiobutton", "checkbox", "url"];

function CrmTab({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const { query, put, saving } = useSection<{ fields: CrmField[] }>(agent, "crm-access");
  const [rows, setRows] = useState<CrmField[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (query.isPending) return <PageSkeleton rows={2} />;
  if (query.isError) return <ErrorState error={query.error} />;
  const value = rows ?? query.data.fields;
  const update = (i: number, patch: Partial<CrmField>) => setRows(value.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  function onSave() {
    if (value.some((r) => !r.field_id && !r.field_code)) return setError(t("agentEditor.fieldIdOrCode"));
    if (value.some((r) => !r.field_name?.trim())) return setError(t("agentEditor.fieldNameRequired"));
    setError(null);
    put({ fields: value }, (e) => setError(splitApiError(e, []).formError));
  }
  return (
    <Card className="space-y-4">
      <p className="text-sm text-slate-500 dark:text-slate-400">{t("agentEditor.crmHint")}</p>
      <FormAlert>{error}</FormAlert>
      {value.length === 0 && <p className="text-sm text-slate-400">{t("agentEditor.noCrmFields")}</p>}
      {value.map((row, i) => (
        <div key={i} className="grid items-end gap-2 rounded-lg p-3 ring-1 ring-slate-200 sm:grid-cols-6 dark:ring-slate-800">
          <SelectField label={t("agentEditor.entity")} value={row.entity ?? "lead"} onChange={(e) => update(i, { entity: e.target.value as CrmField["entity"] })}>
            <option value="lead">{t("agentEditor.lead")}</option>
            <option value="contact">{t("agentEditor.contact")}</option>
          </SelectField>
          <TextField label={t("agentEditor.fieldName")} value={row.field_name ?? ""} onChange={(e) => update(i, { field_name: e.target.value })} />
          <TextField label={t("agentEditor.fieldCode")} value={row.field_code ?? ""} onChange={(e) => update(i, { field_code: e.target.value })} />
          <SelectField label={t("agentEditor.fieldType")} value={row.field_type ?? "text"} onChange={(e) => update(i, { field_type: e.target.value })}>
            {FIELD_TYPES.map((ft) => (
              <option key={ft}>{ft}</option>
            ))}
          </SelectField>
          <div className="flex gap-3 pb-2">
            <CheckboxField label={t("agentEditor.read")} checked={row.can_read ?? true} onChange={(v) => update(i, { can_read: v })} />
            <CheckboxField label={t("agentEditor.write")} checked={row.can_write ?? false} onChange={(v) => update(i, { can_write: v })} />
          </div>
          <Button variant="ghost" aria-label={t("common.remove")} onClick={() => setRows(value.filter((_, j) => j !== i))}>
            <Trash2 className="size-4" aria-hidden />
          </Button>
        </div>
      ))}
      <div className="flex justify-between">
        <Button variant="secondary" onClick={() => setRows([...value, { entity: "lead", field_name: "", field_code: "", field_type: "text", can_read: true, can_write: false }])}>
          <Plus className="size-4" aria-hidden />
          {t("agentEditor.addField")}
        </Button>
        <Button loading={saving} onClick={onSave}>
          {t("common.save")}
        </Button>
      </div>
    </Card>
  );
}

const EMPTY_RULE: UpdateRuleInput = { name: "", instruction: "", entity: "lead", field_code: "", field_type: "text", enum_options: [], overwrite: "always", is_active: true };

function RulesTab({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const key = useWsKey();
  const confirm = useConfirm();
  const toast = useToast();
  const [editing, setEditing] = useState<{ id: number | null; rule: UpdateRuleInput } | null>(null);
  const rules = useQuery({
    queryKey: key("agent", agent.id, "rules"),
    queryFn: ({ signal }) => api.get<Paginated<UpdateRule> | UpdateRule[]>(`/api/agents/${agent.id}/update-rules`, { signal }),
    select: (data) => (Array.isArray(data) ? data : data.results),
  });
  const remove = useAgentMutation((id: number) => api.delete(`/api/agents/${agent.id}/update-rules/${id}`));
  const toggle = useAgentMutation((v: { id: number; on: boolean }) => api.patch(`/api/agents/${agent.id}/update-rules/${v.id}`, { is_active: v.on }));
  if (rules.isPending) return <PageSkeleton rows={2} />;
  if (rules.isError) return <ErrorState error={rules.error} />;
  return (
    <>
      <div className="mb-4 flex items-center justify-between gap-4">
        <p className="text-sm text-slate-500 dark:text-slate-400">{t("agentEditor.rulesHint")}</p>
        <Button onClick={() => setEditing({ id: null, rule: EMPTY_RULE })}>
          <Plus className="size-4" aria-hidden />
          {t("agentEditor.addRule")}
        </Button>
      </div>
      {rules.data.length === 0 ? (
        <EmptyState title={t("agentEditor.noRules")} />
      ) : (
        <ul className="space-y-2">
          {rules.data.map((rule) => (
            <li key={rule.id} className="flex items-center gap-3 rounded-lg bg-white p-3 ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
              <Switch checked={rule.is_active ?? true} label={t("agents.toggleLabel", { name: rule.name })} onChange={(on) => toggle.mutate({ id: rule.id, on }, { onError: toast.error })} />
              <div className="min-w-0 flex-1">
                <p className="font-medium">{rule.name}</p>
                <p className="truncate text-sm text-slate-500 dark:text-slate-400">
                  {rule.entity} · {rule.field_code || rule.field_id} — {rule.instruction}
                </p>
              </div>
              <Button variant="secondary" size="sm" onClick={() => setEditing({ id: rule.id, rule: { ...rule, entity: rule.entity ?? "lead", enum_options: (rule.enum_options as UpdateRuleInput["enum_options"]) ?? [] } })}>
                {t("common.edit")}
              </Button>
              <Button
                variant="ghost"
                size="sm"
                aria-label={t("common.delete")}
                onClick={async () => {
                  if (await confirm({ title: t("agentEditor.deleteRule", { name: rule.name }), danger: true, confirmLabel: t("common.delete") }))
                    remove.mutate(rule.id, { onError: toast.error });
                }}
              >
                <Trash2 className="size-4 text-red-600" aria-hidden />
              </Button>
            </li>
          ))}
        </ul>
      )}
      {editing && <RuleModal agent={agent} editing={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

type RuleField = "name" | "instruction" | "field_id" | "field_code" | "field_type" | "enum_options" | "entity" | "overwrite";

function RuleModal({ agent, editing, onClose }: { agent: Agent; editing: { id: number | null; rule: UpdateRuleInput }; onClose: () => void }) {
  const { t } = useTranslation();
  const [rule, setRule] = useState(editing.rule);
  const [options, setOptions] = useState((rule.enum_options ?? []).map((o) => String((o as { value?: unknown }).value ?? "")).join(", "));
  const [errors, setErrors] = useState<Partial<Record<RuleField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const save = useAgentMutation((body: UpdateRuleInput) =>
    editing.id === null ? api.post(`/api/agents/${agent.id}/update-rules`, body) : api.patch(`/api/agents/${agent.id}/update-rules/${editing.id}`, body),
  );
  const set = (patch: Partial<UpdateRuleInput>) => setRule((r) => ({ ...r, ...patch }));
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const choice = ["select", "multiselect", "radiobutton"].includes(rule.field_type ?? "text");
    const enumOptions = options.split(",").map((s) => s.trim()).filter(Boolean).map((value) => ({ value }));
    const local: Partial<Record<RuleField, string>> = {};
    if (!rule.name.trim()) local.name = t("validation.required");
    if (!rule.instruction.trim()) local.instruction = t("validation.required");
    if (!rule.field_id && !rule.field_code?.trim()) local.field_code = t("agentEditor.fieldIdOrCode");
    if (choice && enumOptions.length === 0) local.enum_options = t("agentEditor.enumNeeded");
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length) return;
    save.mutate(
      { ...rule, enum_options: choice ? enumOptions : [] },
      {
        onSuccess: onClose,
        onError: (e) => {
          const split = splitApiError(e, ["name", "instruction", "field_id", "field_code", "field_type", "enum_options", "entity", "overwrite"] as const);
          setErrors(split.fieldErrors);
          setFormError(split.formError);
        },
      },
    );
  }
  return (
    <Modal
      open
      onClose={onClose}
      title={editing.id === null ? t("agentEditor.addRule") : t("agentEditor.editRule")}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" form="rule-form" loading={save.isPending}>
            {t("common.save")}
          </Button>
        </>
      }
    >
      <form id="rule-form" noValidate onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <FormAlert>{formError}</FormAlert>
        </div>
        <TextField className="sm:col-span-2" label={t("agentEditor.ruleName")} value={rule.name} onChange={(e) => set({ name: e.target.value })} error={errors.name} />
        <TextAreaField className="sm:col-span-2" label={t("agentEditor.ruleInstruction")} rows={3} value={rule.instruction} onChange={(e) => set({ instruction: e.target.value })} error={errors.instruction} />
        <SelectField label={t("agentEditor.entity")} value={rule.entity ?? "lead"} onChange={(e) => set({ entity: e.target.value as UpdateRuleInput["entity"] })}>
          <option value="lead">{t("agentEditor.lead")}</option>
          <option value="contact">{t("agentEditor.contact")}</option>
        </SelectField>
        <TextField label={t("agentEditor.fieldCode")} value={rule.field_code ?? ""} onChange={(e) => set({ field_code: e.target.value })} error={errors.field_code ?? errors.field_id} />
        <SelectField label={t("agentEditor.fieldType")} value={rule.field_type ?? "text"} onChange={(e) => set({ field_type: e.target.value })}>
          {FIELD_TYPES.map((ft) => (
            <option key={ft}>{ft}</option>
          ))}
        </SelectField>
        <SelectField label={t("agentEditor.overwrite")} value={rule.overwrite ?? "always"} onChange={(e) => set({ overwrite: e.target.value as UpdateRuleInput["overwrite"] })}>
          <option value="always">{t("agentEditor.overwriteAlways")}</option>
          <option value="if_empty">{t("agentEditor.overwriteIfEmpty")}</option>
        </SelectField>
        <TextField className="sm:col-span-2" label={t("agentEditor.enumOptions")} hint={t("agentEditor.commaSeparated")} value={options} onChange={(e) => setOptions(e.target.value)} error={errors.enum_options} />
      </form>
    </Modal>
  );
}

const versionNumber = (version: AgentVersion) => version.number;

function VersionsTab({ agent }: { agent: Agent }) {
  const { t, i18n } = useTranslation();
  const key = useWsKey();
  const confirm = useConfirm();
  const toast = useToast();
  const [diff, setDiff] = useState<{ from: number; to: number } | null>(null);
  const versions = usePagedList<AgentVersion>({
    queryKey: key("agent", agent.id, "versions", agent.version),
    path: `/api/agents/${agent.id}/versions`,
    query: { page_size: 100 },
    rowKey: versionNumber,
  });
  const restore = useAgentMutation((n: number) => api.post(`/api/agents/${agent.id}/versions/${n}/restore`, {}));
  if (versions.isPending) return <PageSkeleton rows={3} />;
  if (versions.isError) return <ErrorState error={versions.error} />;
  return (
    <>
      <ul className="divide-y divide-slate-100 rounded-xl bg-white ring-1 ring-slate-200 dark:divide-slate-800 dark:bg-slate-900 dark:ring-slate-800">
        {versions.data.items.map((v) => (
          <li key={v.number} className="flex flex-wrap items-center gap-3 p-3">
            <Badge tone={v.number === agent.version ? "indigo" : "gray"}>v{v.number}</Badge>
            <div className="min-w-0 flex-1 text-sm">
              <p className="font-medium">{v.reason || t("agentEditor.noReason")}</p>
              <p className="text-slate-500 dark:text-slate-400">
                {new Date(v.created_at).toLocaleString(i18n.language)} · {v.created_by ?? "—"}
              </p>
            </div>
            {v.number > 1 && (
              <Button variant="secondary" size="sm" onClick={() => setDiff({ from: v.number - 1, to: v.number })}>
                {t("agentEditor.diff")}
              </Button>
            )}
            {v.number !== agent.version && (
              <Button
                variant="secondary"
                size="sm"
                onClick={async () => {
                  if (await confirm({ title: t("agentEditor.restoreTitle", { version: v.number }), message: t("agentEditor.restoreText") }))
                    restore.mutate(v.number, { onSuccess: () => toast.success(t("agentEditor.restored")), onError: toast.error });
                }}
              >
                <RotateCcw className="size-4" aria-hidden />
                {t("agentEditor.restore")}
              </Button>
            )}
          </li>
        ))}
      </ul>
      <LoadMore className="mt-3 px-1" {...loadMoreProps(versions)} />
      {diff && <DiffModal agent={agent} {...diff} onClose={() => setDiff(null)} />}
    </>
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "∅";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function DiffModal({ agent, from, to, onClose }: { agent: Agent; from: number; to: number; onClose: () => void }) {
  const { t } = useTranslation();
  const key = useWsKey();
  const diff = useQuery({
    queryKey: key("agent", agent.id, "diff", from, to),
    queryFn: ({ signal }) => api.get<VersionDiff>(`/api/agents/${agent.id}/versions/diff`, { signal, query: { from, to } }),
  });
  const changes = (diff.data?.changes ?? {}) as Record<string, { from?: unknown; to?: unknown; added?: unknown[]; removed?: unknown[] }>;
  return (
    <Modal open onClose={onClose} size="lg" title={t("agentEditor.diffTitle", { from, to })}>
      {diff.isPending ? (
        <PageSkeleton rows={2} />
      ) : diff.isError ? (
        <ErrorState error={diff.error} />
      ) : Object.keys(changes).length === 0 ? (
        <p className="text-sm text-slate-500">{t("agentEditor.noChanges")}</p>
      ) : (
        <dl className="space-y-3 text-sm">
          {Object.entries(changes).map(([field, change]) => (
            <div key={field}>
              <dt className="font-medium">{field}</dt>
              <dd className="mt-1 grid gap-1 font-mono text-xs">
                {"added" in change || "removed" in change ? (
                  <>
                    {(change.removed ?? []).map((r, i) => (
                      <span key={`r${i}`} className="rounded bg-red-50 px-2 py-1 text-red-800 dark:bg-red-950 dark:text-red-300">− {show(r)}</span>
                    ))}
                    {(change.added ?? []).map((a, i) => (
                      <span key={`a${i}`} className="rounded bg-emerald-50 px-2 py-1 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">+ {show(a)}</span>
                    ))}
                  </>
                ) : (
                  <>
                    <span className="rounded bg-red-50 px-2 py-1 break-all whitespace-pre-wrap text-red-800 dark:bg-red-950 dark:text-red-300">− {show(change.from)}</span>
                    <span className="rounded bg-emerald-50 px-2 py-1 break-all whitespace-pre-wrap text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">+ {show(change.to)}</span>
                  </>
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </Modal>
  );
}
