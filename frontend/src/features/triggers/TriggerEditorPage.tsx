import { ArrowLeft } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router";
import { PageHeader } from "../../components/ui/PageHeader";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { Tabs } from "../../components/ui/Tabs";
import { useTrigger } from "./api";
import { TestBox } from "./TestBox";
import { TriggerForm } from "./TriggerForm";
import { TriggerLogTab } from "./TriggerLogTab";

const TABS = ["editor", "test", "log"] as const;
type Tab = (typeof TABS)[number];

function BackLink() {
  const { t } = useTranslation();
  return (
    <Link to="/triggers" className="mb-2 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-700 dark:hover:text-slate-300">
      <ArrowLeft className="size-4" aria-hidden />
      {t("triggers.title")}
    </Link>
  );
}

/** /triggers/new — a new trigger's editor; /triggers/:id — the editor, the test box and the log in tabs (the editor's draft survives a tab switch). */
export function TriggerEditorPage() {
  const { t } = useTranslation();
  const param = useParams().id;
  const id = Number(param);
  const trigger = useTrigger(id);
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get("tab") ?? "") ? (params.get("tab") as Tab) : "editor";
  const [dirty, setDirty] = useState(false);

  if (param === "new") {
    return (
      <>
        <BackLink />
        <PageHeader title={t("triggers.new")} description={t("triggers.newText")} />
        <TriggerForm />
      </>
    );
  }
  if (trigger.isPending) return <PageSkeleton />;
  if (trigger.isError) return <ErrorState error={trigger.error} onRetry={() => void trigger.refetch()} />;
  return (
    <>
      <BackLink />
      <PageHeader title={trigger.data.name} description={trigger.data.description || undefined} />
      <Tabs
        label={t("triggers.sectionsLabel")}
        tabs={TABS.map((key) => [key, t(`triggers.tabs.${key}`)] as const)}
        value={tab}
        onChange={(next) => setParams(next === "editor" ? {} : { tab: next }, { replace: true })}
      />
      <div role="tabpanel" hidden={tab !== "editor"}>
        <TriggerForm key={trigger.data.id} trigger={trigger.data} onDirtyChange={setDirty} />
      </div>
      {tab === "test" && (
        <div role="tabpanel">
          <TestBox triggerId={trigger.data.id} dirty={dirty} />
        </div>
      )}
      {tab === "log" && (
        <div role="tabpanel">
          <TriggerLogTab triggerId={trigger.data.id} />
        </div>
      )}
    </>
  );
}
