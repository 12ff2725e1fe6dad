import { ChevronRight, Folder, FolderPlus, Pencil, Trash2 } from "lucide-react";
import { useState, type DragEvent, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/problem";
import type { CategoryNode } from "../../api/types";
import { Button } from "../../components/ui/Button";
import { cn } from "../../components/ui/cn";
import { FormAlert, TextField } from "../../components/ui/fields";
import { splitApiError } from "../../components/ui/formErrors";
import { Modal } from "../../components/ui/Modal";
import { ErrorState, Skeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { isWithin, useCategoryTree, useDeleteCategory, useMoveCategory, useSaveCategory } from "./api";

const DRAG_TYPE = "application/x-kb-category";

/** The category tree: select to filter articles; create, rename, delete; drag a category onto another (or onto
 * "All articles") to move it. */
export function CategoryTree({ selected, onSelect }: { selected: number | null; onSelect: (id: number | null) => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const tree = useCategoryTree();
  const [editing, setEditing] = useState<{ id: number | null; parent: number | null; name: string } | null>(null);
  const [deleting, setDeleting] = useState<CategoryNode | null>(null);
  const [dropTarget, setDropTarget] = useState<number | "root" | null>(null);
  const move = useMoveCategory();

  function onDrop(event: DragEvent, parent: number | null) {
    event.preventDefault();
    setDropTarget(null);
    const id = Number(event.dataTransfer.getData(DRAG_TYPE));
    if (!id || id === parent || !tree.data) return;
    if (parent !== null && isWithin(tree.data, id, parent)) {
      toast.error(t("knowledge.moveIntoSelf"));
      return;
    }
    move.mutate({ id, parent }, { onSuccess: () => toast.success(t("knowledge.moved")), onError: toast.error });
  }
  const dropProps = (target: number | "root") => ({
    onDragOver: (e: DragEvent) => {
      if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
      e.preventDefault();
      setDropTarget(target);
    },
    onDragLeave: () => setDropTarget((d) => (d === target ? null : d)),
    onDrop: (e: DragEvent) => onDrop(e, target === "root" ? null : target),
  });

  function renderNodes(nodes: CategoryNode[], depth: number) {
    return (
      <ul role={depth === 0 ? "tree" : "group"} aria-label={depth === 0 ? t("knowledge.categories") : undefined}>
        {nodes.map((node) => (
          <li key={node.id} role="treeitem" aria-selected={selected === node.id}>
            <div
              draggable
              data-testid={`category-${node.id}`}
              onDragStart={(e) => {
                e.dataTransfer.setData(DRAG_TYPE, String(node.id));
                e.dataTransfer.effectAllowed = "move";
              }}
              {...dropProps(node.id)}
              className={cn(
                "group flex items-start gap-1 rounded-md py-1 pr-1 text-sm",
                selected === node.id ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300" : "hover:bg-slate-100 dark:hover:bg-slate-800",
                dropTarget === node.id && "ring-2 ring-indigo-500",
              )}
              style={{ paddingLeft: 4 + depth * 14 }}
            >
              {node.children?.length ? <ChevronRight className="mt-0.5 size-3.5 shrink-0 rotate-90 text-slate-400" aria-hidden /> : <span className="w-3.5" />}
              <button type="button" className="flex min-w-0 flex-1 items-start gap-1.5 text-left" onClick={() => onSelect(node.id)}>
                <Folder className="mt-0.5 size-4 shrink-0 text-slate-400" aria-hidden />
                <span className="min-w-0 break-words">{node.name}</span>
                <span className="text-xs text-slate-400">{node.article_count}</span>
              </button>
              <span className="flex opacity-60 group-hover:opacity-100">
                <button type="button" className="p-1 hover:text-indigo-600" aria-label={t("knowledge.addChild", { name: node.name })} onClick={() => setEditing({ id: null, parent: node.id, name: "" })}>
                  <FolderPlus className="size-3.5" aria-hidden />
                </button>
                <button type="button" className="p-1 hover:text-indigo-600" aria-label={t("knowledge.rename", { name: node.name })} onClick={() => setEditing({ id: node.id, parent: null, name: node.name })}>
                  <Pencil className="size-3.5" aria-hidden />
                </button>
                <button type="button" className="p-1 hover:text-red-600" aria-label={t("knowledge.deleteCategory", { name: node.name })} onClick={() => setDeleting(node)}>
                  <Trash2 className="size-3.5" aria-hidden />
                </button>
              </span>
            </div>
            {node.children?.length ? renderNodes(node.children, depth + 1) : null}
          </li>
        ))}
      </ul>
    );
  }

  return (
    <div className="rounded-xl bg-white p-3 shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <div className="mb-2 flex items-center justify-between">
        <h2 className="text-sm font-semibold">{t("knowledge.categories")}</h2>
        <Button variant="ghost" size="sm" aria-label={t("knowledge.newCategory")} onClick={() => setEditing({ id: null, parent: null, name: "" })}>
          <FolderPlus className="size-4" aria-hidden />
        </Button>
      </div>
      <button
        type="button"
        {...dropProps("root")}
        onClick={() => onSelect(null)}
        className={cn(
          "mb-1 w-full rounded-md px-2 py-1 text-left text-sm",
          selected === null ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300" : "hover:bg-slate-100 dark:hover:bg-slate-800",
          dropTarget === "root" && "ring-2 ring-indigo-500",
        )}
      >
        {t("knowledge.allArticles")}
      </button>
      {tree.isPending ? <Skeleton className="h-24" /> : tree.isError ? <ErrorState error={tree.error} /> : tree.data.length ? renderNodes(tree.data, 0) : <p className="px-2 py-3 text-sm text-slate-400">{t("knowledge.noCategories")}</p>}
      <p className="mt-2 px-2 text-xs text-slate-400">{t("knowledge.dragHint")}</p>
      {editing && <CategoryModal editing={editing} onClose={() => setEditing(null)} />}
      {deleting && (
        <DeleteCategoryModal
          node={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            if (selected === deleting.id) onSelect(null);
          }}
        />
      )}
    </div>
  );
}

function CategoryModal({ editing, onClose }: { editing: { id: number | null; parent: number | null; name: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(editing.name);
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const save = useSaveCategory(editing);
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setError(t("validation.required"));
    if (name.trim().length > 150) return setError(t("validation.maxLength", { max: 150 }));
    save.mutate(name.trim(), {
      onSuccess: onClose,
      onError: (err) => {
        const split = splitApiError(err, ["name"] as const);
        setError(split.fieldErrors.name);
        setFormError(split.formError);
      },
    });
  }
  return (
    <Modal
      open
      onClose={onClose}
      size="sm"
      title={editing.id === null ? t("knowledge.newCategory") : t("knowledge.renameCategory")}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" form="category-form" loading={save.isPending}>
            {t("common.save")}
          </Button>
        </>
      }
    >
      <form id="category-form" noValidate onSubmit={onSubmit} className="space-y-3">
        <FormAlert>{formError}</FormAlert>
        <TextField label={t("knowledge.categoryName")} value={name} onChange={(e) => setName(e.target.value)} error={error} data-autofocus />
      </form>
    </Modal>
  );
}

/** Deleting a category with articles: refuse (the API's default) or move its articles to the parent. */
function DeleteCategoryModal({ node, onClose, onDeleted }: { node: CategoryNode; onClose: () => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [mode, setMode] = useState<"refuse" | "move_to_parent">("move_to_parent");
  const [error, setError] = useState<string | null>(null);
  const remove = useDeleteCategory(node.id);
  function onConfirm() {
    remove.mutate(mode, {
      onSuccess: () => {
        toast.success(t("knowledge.categoryDeleted"));
        onDeleted();
        onClose();
      },
      onError: (e) => setError(e instanceof ApiError ? e.detail : String(e)),
    });
  }
  return (
    <Modal
      open
      onClose={onClose}
      size="sm"
      title={t("knowledge.deleteCategory", { name: node.name })}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button variant="danger" loading={remove.isPending} onClick={onConfirm}>
            {t("common.delete")}
          </Button>
        </>
      }
    >
      <div className="space-y-3 text-sm">
        <FormAlert>{error}</FormAlert>
        <p>{t("knowledge.deleteCategoryText", { count: node.article_count })}</p>
        <label className="flex items-center gap-2">
          <input type="radio" name="on_articles" checked={mode === "move_to_parent"} onChange={() => setMode("move_to_parent")} />
          {t("knowledge.moveToParent")}
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="on_articles" checked={mode === "refuse"} onChange={() => setMode("refuse")} />
          {t("knowledge.refuseIfArticles")}
        </label>
      </div>
    </Modal>
  );
}
