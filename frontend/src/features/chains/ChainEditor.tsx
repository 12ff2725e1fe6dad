import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Chain } from "../../api/types";
import { Tabs } from "../../components/ui/Tabs";
import { useToast } from "../../components/ui/toast";
import { DirtyBar } from "../../components/unsaved/DirtyBar";
import { useUnsavedChanges } from "../../components/unsaved/UnsavedChanges";
import { useDraft } from "../../components/unsaved/useDraft";
import { chainApi, useChainMutation } from "./api";
import { apiErrors, chainInput, draftFromChain, localErrors, NO_ERRORS, stepErrors, type ChainDraft, type ChainErrors } from "./chainDraft";
import { ChainSettings } from "./ChainSettings";
import { RunsTab } from "./RunsTab";
import { StepsEditor } from "./StepsEditor";

type Tab = "settings" | "steps" | "runs";

/** A chain's settings, steps and runs; one draft and one Save for settings and steps together (a save
 * replaces the steps as a whole; a step keeps its id, so its runs' history stays). */
export function ChainEditor({ chain }: { chain: Chain }) {
  const { t } = useTranslation();
  const toast = useToast();
  const saved = useMemo(() => draftFromChain(chain), [chain]);
  const draft = useDraft<ChainDraft>(saved);
  const confirmDiscard = useUnsavedChanges(draft.dirty);
  const [tab, setTab] = useState<Tab>("steps");
  const [errors, setErrors] = useState<ChainErrors>(NO_ERRORS);
  const save = useChainMutation((value: ChainDraft) => chainApi.update(chain.id, chainInput(value)));
  const stepsHaveErrors = Object.keys(errors.paths).some((path) => path.startsWith("steps"));
  const settingsHaveErrors = Object.keys(errors.paths).some((path) => !path.startsWith("steps"));

  function show(next: ChainErrors) {
    setErrors(next);
    const paths = Object.keys(next.paths);
    if (paths.length && paths.every((path) => path.startsWith("steps"))) setTab("steps");
    else if (paths.length && paths.every((path) => !path.startsWith("steps"))) setTab("settings");
  }

  function onSave() {
    const local = localErrors(draft.value, t);
    if (local.form) return show(local);
    setErrors(NO_ERRORS);
    save.mutate(draft.value, {
      onSuccess: () => {
        draft.reset();
        toast.success(t("common.saved"));
      },
      onError: (error) => show(apiErrors(error)),
    });
  }

  async function onDiscard() {
    if (!(await confirmDiscard())) return;
    draft.reset();
    setErrors(NO_ERRORS);
  }

  const tabs: Array<readonly [Tab, string]> = [
    ["settings", t("chains.tabs.settings") + (settingsHaveErrors ? " •" : "")],
    ["steps", t("chains.tabs.steps") + (stepsHaveErrors ? " •" : "")],
    ["runs", t("chains.tabs.runs")],
  ];
  return (
    <>
      <Tabs label={t("chains.tabs.label")} tabs={tabs} value={tab} onChange={setTab} />
      <div role="tabpanel" className="pt-4 pb-24">
        {tab === "settings" && <ChainSettings value={draft.value} set={draft.set} errors={errors.paths} />}
        {tab === "steps" && (
          <>
            {errors.paths.steps && <p className="mb-2 text-sm text-red-600">{errors.paths.steps}</p>}
            <StepsEditor steps={draft.value.steps} onChange={(steps) => draft.set("steps", steps)} errors={(index) => stepErrors(errors, index)} />
          </>
        )}
        {tab === "runs" && <RunsTab chainId={chain.id} />}
      </div>
      <DirtyBar dirty={draft.dirty} saving={save.isPending} onSave={onSave} onDiscard={() => void onDiscard()} error={errors.form} />
    </>
  );
}
