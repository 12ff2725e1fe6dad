import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Agent, AgentChannel, AgentUpdateInput, CrmField, PipelineItem } from "../../../api/types";
import { ErrorState, PageSkeleton } from "../../../components/ui/states";
import { Tabs } from "../../../components/ui/Tabs";
import { useToast } from "../../../components/ui/toast";
import { DirtyBar } from "../../../components/unsaved/DirtyBar";
import { useUnsavedChanges } from "../../../components/unsaved/UnsavedChanges";
import { useDraft } from "../../../components/unsaved/useDraft";
import { agentApi, useAgentMutation, useAgentSection } from "../api";
import { apiErrors, draftFromServer, editConflict, EDITOR_TABS, localErrors, NO_ERRORS, saveBody, tabOf, tabsWithErrors, type AgentDraft, type EditorTab, type SaveErrors } from "./agentDraft";
import { ChannelsTab } from "./ChannelsTab";
import { CrmTab } from "./CrmTab";
import { KnowledgeTab } from "./KnowledgeTab";
import { PipelinesTab } from "./PipelinesTab";
import { RulesTab } from "./RulesTab";
import { SettingsTab } from "./SettingsTab";
import { TabLabel } from "./TabLabel";
import { VersionsTab } from "./VersionsTab";

/** The agent's configuration tabs, once its tables are loaded: the draft of all of them lives here. */
export function AgentEditor({ agent }: { agent: Agent }) {
  const channels = useAgentSection<{ channels: AgentChannel[] }>(agent.id, "channels");
  const pipelines = useAgentSection<{ pipelines: PipelineItem[] }>(agent.id, "pipelines");
  const knowledge = useAgentSection<{ category_ids: number[] }>(agent.id, "knowledge-base");
  const crm = useAgentSection<{ fields: CrmField[] }>(agent.id, "crm-access");
  const saved = useMemo(
    () =>
      channels.data && pipelines.data && knowledge.data && crm.data
        ? draftFromServer(agent, { channels: channels.data.channels, pipelines: pipelines.data.pipelines, category_ids: knowledge.data.category_ids, crm_fields: crm.data.fields })
        : null,
    [agent, channels.data, pipelines.data, knowledge.data, crm.data],
  );
  const failed = [channels, pipelines, knowledge, crm].find((query) => query.isError);
  if (failed) return <ErrorState error={failed.error} onRetry={() => void failed.refetch()} />;
  if (!saved) return <PageSkeleton rows={3} />;
  return <DraftEditor agent={agent} saved={saved} />;
}

/**
 * Every tab edits one draft, so switching tabs keeps what was typed; one Save sends what changed in
 * any tab as one version, Discard drops it all. A tab shows a dot while it holds changes, a red one
 * when the save found a problem there, and a refused save opens the first such tab.
 */
function DraftEditor({ agent, saved }: { agent: Agent; saved: AgentDraft }) {
  const { t } = useTranslation();
  const toast = useToast();
  const draft = useDraft(saved);
  const confirmDiscard = useUnsavedChanges(draft.dirty);
  const [tab, setTab] = useState<EditorTab>("settings");
  const [errors, setErrors] = useState<SaveErrors>(NO_ERRORS);
  const save = useAgentMutation((body: AgentUpdateInput) => agentApi.update(agent.id, body));
  // The version the edit started from: a save that would overwrite what someone saved since is
  // refused (409); after that refusal, Save again overwrites on purpose.
  const base = useRef<number | null>(null);
  const errorTabs = tabsWithErrors(errors);
  const changedTabs = new Set(draft.changed.map(tabOf));

  function showErrors(next: SaveErrors) {
    setErrors(next);
    const tabs = tabsWithErrors(next);
    if (tabs.length && !tabs.includes(tab)) setTab(tabs[0]!);
  }

  function onSave() {
    const local = localErrors(draft.value, t);
    if (tabsWithErrors(local).length) return showErrors(local);
    setErrors(NO_ERRORS);
    save.mutate(
      { ...saveBody(draft.value, draft.changed), base_version: base.current ?? agent.version ?? undefined },
      {
        // The agent and its tables are refetched by now: the draft has nothing left to hold.
        onSuccess: () => {
          draft.reset();
          base.current = null;
          toast.success(t("common.saved"));
        },
        onError: (error) => {
          const conflict = editConflict(error);
          if (conflict) base.current = conflict.version;
          showErrors(apiErrors(error, t));
        },
      },
    );
  }

  async function onDiscard() {
    if (!(await confirmDiscard())) return;
    draft.reset();
    base.current = null;
    setErrors(NO_ERRORS);
  }

  const { value } = draft;
  /** An edit; the first one of a clean draft notes the version it starts from. */
  function set<K extends keyof AgentDraft>(key: K, next: AgentDraft[K]) {
    if (!draft.dirty) base.current = agent.version ?? null;
    draft.set(key, next);
  }
  return (
    <>
      <Tabs
        label={t("agentEditor.sections")}
        tabs={EDITOR_TABS.map((key) => [key, <TabLabel key={key} label={t(`agentEditor.tabs.${key}`)} state={errorTabs.includes(key) ? "error" : changedTabs.has(key) ? "changed" : null} />] as const)}
        value={tab}
        onChange={setTab}
      />
      <div role="tabpanel">
        {tab === "settings" && <SettingsTab form={value} set={(key, v) => set(key, v as AgentDraft[typeof key])} errors={errors.fields} />}
        {tab === "channels" && <ChannelsTab value={value.channels} onChange={(v) => set("channels", v)} error={errors.tables.channels} />}
        {tab === "pipelines" && <PipelinesTab value={value.pipelines} onChange={(v) => set("pipelines", v)} error={errors.tables.pipelines} />}
        {tab === "knowledge" && <KnowledgeTab value={value.category_ids} onChange={(v) => set("category_ids", v)} error={errors.tables.knowledge} />}
        {tab === "crm" && <CrmTab value={value.crm_fields} onChange={(v) => set("crm_fields", v)} error={errors.tables.crm} />}
        {tab === "rules" && <RulesTab agent={agent} />}
        {tab === "versions" && <VersionsTab agent={agent} dirty={draft.dirty} onRestored={draft.reset} />}
      </div>
      <DirtyBar dirty={draft.dirty} saving={save.isPending} onSave={onSave} onDiscard={() => void onDiscard()} error={errors.form} />
    </>
  );
}
