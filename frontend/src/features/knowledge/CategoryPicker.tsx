import { useTranslation } from "react-i18next";
import { SelectField } from "../../components/ui/fields";
import { ErrorState, Skeleton } from "../../components/ui/states";
import { flatten, useCategoryTree } from "./api";

/** Checkboxes over the category tree (indented by depth). */
export function CategoryPicker({ value, onChange }: { value: number[]; onChange: (ids: number[]) => void }) {
  const { t } = useTranslation();
  const tree = useCategoryTree();
  if (tree.isPending) return <Skeleton className="h-24" />;
  if (tree.isError) return <ErrorState error={tree.error} />;
  const rows = flatten(tree.data);
  if (rows.length === 0) return <p className="text-sm text-slate-400">{t("knowledge.noCategories")}</p>;
  return (
    <fieldset className="max-h-64 space-y-1 overflow-y-auto">
      <legend className="sr-only">{t("knowledge.categories")}</legend>
      {rows.map(([node, depth]) => (
        <label key={node.id} className="flex items-center gap-2 text-sm" style={{ paddingLeft: depth * 20 }}>
          <input
            type="checkbox"
            checked={value.includes(node.id)}
            onChange={(e) => onChange(e.target.checked ? [...value, node.id] : value.filter((id) => id !== node.id))}
          />
          {node.name}
        </label>
      ))}
    </fieldset>
  );
}

/** One category (or none) from the tree, indented by depth: where new articles go. */
export function CategorySelect({ value, onChange }: { value: number | null; onChange: (id: number | null) => void }) {
  const { t } = useTranslation();
  const tree = useCategoryTree();
  const rows = tree.data ? flatten(tree.data) : [];
  return (
    <SelectField label={t("knowledge.category")} value={value ?? ""} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}>
      <option value="">{t("knowledge.noCategory")}</option>
      {rows.map(([node, depth]) => (
        <option key={node.id} value={node.id}>
          {"\u00a0\u00a0".repeat(depth)}
          {node.name}
        </option>
      ))}
    </SelectField>
  );
}
