import { Plus } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { PageHeader } from "../../components/ui/PageHeader";
import { Tabs } from "../../components/ui/Tabs";
import { ArticleEditor } from "./ArticleEditor";
import { ArticleList } from "./ArticleList";
import { CategoryTree } from "./CategoryTree";
import { SearchPanel } from "./SearchPanel";

/** The knowledge base: the category tree beside the article list or the search, and the article editor. */
export function KnowledgePage() {
  const { t } = useTranslation();
  const [category, setCategory] = useState<number | null>(null);
  const [tab, setTab] = useState<"articles" | "search">("articles");
  const [editing, setEditing] = useState<number | "new" | null>(null);
  return (
    <>
      <PageHeader
        title={t("knowledge.title")}
        description={t("knowledge.description")}
        actions={
          <Button onClick={() => setEditing("new")}>
            <Plus className="size-4" aria-hidden />
            {t("knowledge.newArticle")}
          </Button>
        }
      />
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[16rem_minmax(0,1fr)]">
        <CategoryTree selected={category} onSelect={setCategory} />
        <div className="min-w-0">
          <Tabs label={t("knowledge.title")} value={tab} onChange={setTab} tabs={[["articles", t("knowledge.articles")], ["search", t("knowledge.search")]] as const} />
          {tab === "articles" ? <ArticleList category={category} onOpen={setEditing} /> : <SearchPanel onOpen={setEditing} />}
        </div>
      </div>
      {editing !== null && <ArticleEditor id={editing === "new" ? null : editing} defaultCategory={category} onClose={() => setEditing(null)} onCreated={(id) => setEditing(id)} />}
    </>
  );
}
