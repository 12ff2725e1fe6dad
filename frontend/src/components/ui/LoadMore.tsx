import { useTranslation } from "react-i18next";
import { Button } from "./Button";
import { cn } from "./cn";

/**
 * The end of a paged list: "Showing 50 of 312" and a "Load more" button while pages are left.
 * Renders nothing when the whole list came in one page.
 */
export function LoadMore({
  shown,
  total,
  pages,
  hasMore,
  loading,
  onLoad,
  className,
}: {
  shown: number;
  total: number;
  pages: number;
  hasMore: boolean;
  loading: boolean;
  onLoad: () => void;
  className?: string;
}) {
  const { t } = useTranslation();
  if (!hasMore && pages <= 1) return null;
  return (
    <div className={cn("flex flex-wrap items-center justify-between gap-x-4 gap-y-2 text-sm text-slate-500 dark:text-slate-400", className)}>
      <p aria-live="polite" data-testid="paging-count">
        {t("common.showing", { shown, total: Math.max(total, shown) })}
      </p>
      {hasMore && (
        <Button variant="secondary" size="sm" loading={loading} onClick={onLoad}>
          {t("common.loadMore")}
        </Button>
      )}
    </div>
  );
}
