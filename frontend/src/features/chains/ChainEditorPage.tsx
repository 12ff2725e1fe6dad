import { ArrowLeft } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { PageHeader } from "../../components/ui/PageHeader";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useChain } from "./api";
import { ChainEditor } from "./ChainEditor";

/** /chains/:id — the chain's editor (settings, steps, runs). */
export function ChainEditorPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  return (
    <>
      <Link to="/chains" className="mb-2 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-700 dark:hover:text-slate-300">
        <ArrowLeft className="size-4" aria-hidden />
        {t("chains.title")}
      </Link>
      <Existing id={id} />
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
