import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { Chain } from "../../api/types";
import { Tabs } from "../../components/ui/Tabs";
import { useToast } from "../../components/ui/toast";
import { DirtyBar } from "../../components/unsaved/DirtyBar";
import { useUnsavedChanges } from "../../components/unsaved/UnsavedChanges";
import { useDraft } from "../../components/unsaved/useDraft";
import { chainApi, useChainMutation } from "./api";
import { apiErrors, chainInput, draftFromChain, localErrors, NEW_CHAIN, NO_ERRORS, stepErrors, type ChainDraft, type ChainErrors } from "./chainDraft";
import { ChainSettings } from "./ChainSettings";
import { RunsTab } from "./RunsTab";
import { StepsEditor } from "./StepsEditor";

type Tab = "settings" | "steps" | "runs";

/** A chain's settings, steps and runs; one draft and one Save for settings and steps together. */
export function ChainEditor({ chain }: { chain: Chain | null }) {
  const { t } = useTranslation();
  const toast = useToast();
  const navigate = useNavigate();
  const saved = useMemo(() => (chain ? draftFromChain(chain) : NEW_CHAIN), [chain]);
  const draft = useDraft<ChainDraft>(saved);
  const confirmDiscard = useUnsavedChanges(draft.dirty);
  const [tab, setTab] = useState<Tab>(chain ? "steps" : "settings");
  const [errors, setErrors] = useState<ChainErrors>(NO_ERRORS);
  const save = useChainMutation((value: ChainDraft) => (chain ? chainApi.update(chain.id, chainInput(value)) : chainApi.create(chainInput(value))));
  // A new chain, once saved, opens at its own address: once the draft is clean and the unsaved-changes
  // guard has heard so (its state updates after this render, hence the next task), so nothing is asked.
  const [created, setCreated] = useState<number | null>(null);
  useEffect(() => {
    if (!created || draft.dirty) return;
    const timer = setTimeout(() => navigate(`/chains/${created}`, { replace: true }), 0);
    return () => clearTimeout(timer);
  }, [created, draft.dirty, navigate]);
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
      onSuccess: (result) => {
        draft.reset();
        toast.success(t("common.saved"));
        if (!chain) setCreated(result.id);
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
  ];
  if (chain) tabs.push(["runs", t("chains.tabs.runs")]);
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
        {tab === "runs" && chain && <RunsTab chainId={chain.id} />}
      </div>
      <DirtyBar dirty={draft.dirty || !chain} saving={save.isPending} onSave={onSave} onDiscard={() => void onDiscard()} error={errors.form} />
    </>
  );
}
