import { FileUp, Globe, Plus } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { PageHeader } from "../../components/ui/PageHeader";
import { Tabs } from "../../components/ui/Tabs";
import { ArticleEditor } from "./ArticleEditor";
import { ArticleList } from "./ArticleList";
import { CategoryTree } from "./CategoryTree";
import { SearchPanel } from "./SearchPanel";
import { UploadDialog } from "./UploadDialog";
import { UrlImportDialog } from "./UrlImportDialog";

/** The knowledge base: the category tree beside the article list or the search, the article editor,
 * and the ways in: a new article, files uploaded (an article each, or into one), a web page. */
export function KnowledgePage() {
  const { t } = useTranslation();
  const [category, setCategory] = useState<number | null>(null);
  const [tab, setTab] = useState<"articles" | "search">("articles");
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const [dialog, setDialog] = useState<"upload" | "url" | null>(null);
  const open = (id: number) => {
    setDialog(null);
    setEditing(id);
  };
  return (
    <>
      <PageHeader
        title={t("knowledge.title")}
        description={t("knowledge.description")}
        actions={
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" onClick={() => setDialog("url")}>
              <Globe className="size-4" aria-hidden />
              {t("knowledge.importUrl.open")}
            </Button>
            <Button variant="secondary" onClick={() => setDialog("upload")}>
              <FileUp className="size-4" aria-hidden />
              {t("knowledge.upload.open")}
            </Button>
            <Button onClick={() => setEditing("new")}>
              <Plus className="size-4" aria-hidden />
              {t("knowledge.newArticle")}
            </Button>
          </div>
        }
      />
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[16rem_minmax(0,1fr)]">
        <CategoryTree selected={category} onSelect={setCategory} />
        <div className="min-w-0">
          <Tabs label={t("knowledge.title")} value={tab} onChange={setTab} tabs={[["articles", t("knowledge.articles")], ["search", t("knowledge.search")]] as const} />
          {tab === "articles" ? <ArticleList category={category} onOpen={setEditing} /> : <SearchPanel onOpen={setEditing} />}
        </div>
      </div>
      {dialog === "upload" && <UploadDialog defaultCategory={category} onClose={() => setDialog(null)} onOpen={open} />}
      {dialog === "url" && <UrlImportDialog defaultCategory={category} onClose={() => setDialog(null)} onOpen={open} />}
      {editing !== null && <ArticleEditor id={editing === "new" ? null : editing} defaultCategory={category} onClose={() => setEditing(null)} onCreated={(id) => setEditing(id)} />}
    </>
  );
}
