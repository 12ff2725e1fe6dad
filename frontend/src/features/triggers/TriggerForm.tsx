import { useEffect, useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/ui/Card";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { DirtyBar } from "../../components/unsaved/DirtyBar";
import { useUnsavedChanges } from "../../components/unsaved/UnsavedChanges";
import { useDraft } from "../../components/unsaved/useDraft";
import { useFieldCatalog, usePipelineCatalog } from "../agents/editor/useKommoCatalog";
import { ActionsEditor } from "./ActionsEditor";
import { triggerApi, useTriggerMutation, useVocabulary, type Trigger, type TriggerInput } from "./api";
import { ConditionBuilder } from "./ConditionBuilder";
import { RunLimitFields } from "./RunLimitFields";
import { TriggerBasics } from "./TriggerBasics";
import { useOpenCreated } from "./useOpenCreated";
import { draftFromServer, localErrors, NEW_TRIGGER, saveBody, saveErrors, type TriggerDraft } from "./triggerDraft";

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <Card className="min-w-0">
      <h2 className="text-base font-semibold">{title}</h2>
      {description && <p className="mt-0.5 text-sm text-slate-500 dark:text-slate-400">{description}</p>}
      <div className="mt-4">{children}</div>
    </Card>
  );
}

/**
 * The trigger's settings, condition, actions and limits as one draft with one Save (a new trigger is
 * created by it, then opened). A refused save shows each error at its field, condition node or action.
 */
export function TriggerForm({ trigger, onDirtyChange }: { trigger?: Trigger; onDirtyChange?: (dirty: boolean) => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const vocabulary = useVocabulary();
  const catalog = useFieldCatalog();
  const pipelines = usePipelineCatalog();
  const saved = useMemo(() => (trigger ? draftFromServer(trigger) : NEW_TRIGGER), [trigger]);
  const draft = useDraft<TriggerDraft>(saved);
  const confirmDiscard = useUnsavedChanges(draft.dirty);
  const openCreated = useOpenCreated(draft.dirty);
  useEffect(() => onDirtyChange?.(draft.dirty), [onDirtyChange, draft.dirty]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const save = useTriggerMutation((body: Partial<TriggerInput>) => (trigger ? triggerApi.update(trigger.id, body) : triggerApi.create(body as TriggerInput)));

  if (vocabulary.isPending) return <PageSkeleton rows={3} />;
  if (vocabulary.isError) return <ErrorState error={vocabulary.error} onRetry={() => void vocabulary.refetch()} />;
  const vocab = vocabulary.data;
  const { value, set } = draft;

  function onSave() {
    const local = localErrors(value, t);
    setFormError(null);
    setErrors(local);
    if (Object.keys(local).length) return;
    save.mutate(saveBody(value, trigger ? draft.changed : null), {
      onSuccess: (result) => {
        draft.reset();
        toast.success(t("common.saved"));
        if (!trigger) openCreated(result.id);
      },
      onError: (error) => {
        const placed = saveErrors(error);
        setErrors(placed.paths);
        setFormError(placed.form ?? (Object.keys(placed.paths).length ? t("triggers.fixErrors") : null));
      },
    });
  }

  async function onDiscard() {
    if (!(await confirmDiscard())) return;
    draft.reset();
    setErrors({});
    setFormError(null);
  }

  return (
    <div className="space-y-6">
      <Section title={t("triggers.sections.basics")}>
        <TriggerBasics draft={value} set={set} errors={errors} />
      </Section>
      <Section title={t("triggers.sections.condition")} description={t("triggers.sections.conditionText")}>
        <ConditionBuilder
          value={value.condition}
          onChange={(c) => set("condition", c)}
          facts={vocab.facts} leadFields={catalog.state === "ready" ? catalog.fields : null}
          pipelines={pipelines.state === "ready" ? pipelines.pipelines : null}
          errors={errors}
        />
      </Section>
      <Section title={t("triggers.sections.actions")} description={t("triggers.sections.actionsText")}>
        <ActionsEditor value={value.actions} onChange={(a) => set("actions", a)} kinds={vocab.actions} errors={errors} />
      </Section>
      <Section title={t("triggers.sections.limits")}>
        <RunLimitFields draft={value} set={set} errors={errors} scopes={vocab.limit_scopes} periods={vocab.limit_periods} />
      </Section>
      <DirtyBar dirty={draft.dirty || !trigger} saving={save.isPending} onSave={onSave} onDiscard={() => void onDiscard()} error={formError} saveLabel={trigger ? undefined : t("triggers.create")} />
    </div>
  );
}
