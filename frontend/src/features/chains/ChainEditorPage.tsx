import { ArrowLeft } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { PageHeader } from "../../components/ui/PageHeader";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useChain } from "./api";
import { ChainEditor } from "./ChainEditor";

/** /chains/new and /chains/:id — the chain's editor (settings, steps, runs). */
export function ChainEditorPage() {
  const { t } = useTranslation();
  const param = useParams().id;
  const id = param === "new" ? 0 : Number(param);
  return (
    <>
      <Link to="/chains" className="mb-2 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-700 dark:hover:text-slate-300">
        <ArrowLeft className="size-4" aria-hidden />
        {t("chains.title")}
      </Link>
      {id ? <Existing id={id} /> : (
        <>
          <PageHeader title={t("chains.new")} description={t("chains.description")} />
          <ChainEditor chain={null} />
        </>
      )}
    </>
  );
}

function Existing({ id }: { id: number }) {
  const chain = useChain(id);
  if (chain.isPending) return <PageSkeleton />;
  if (chain.isError) return <ErrorState error={chain.error} onRetry={() => void chain.refetch()} />;
  return (
    <>
      <PageHeader title={chain.data.name} description={chain.data.description || undefined} />
      <ChainEditor key={chain.data.id} chain={chain.data} />
    </>
  );
}
