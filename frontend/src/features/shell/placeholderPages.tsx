import { Construction, MapPinOff } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PageHeader } from "../../components/ui/PageHeader";
import { EmptyState } from "../../components/ui/states";
import { NAV } from "./nav";

/** A section whose page is not built yet: a clean placeholder, never a broken link. */
export function ComingSoonPage({ section }: { section: string }) {
  const { t } = useTranslation();
  const item = NAV.find((n) => n.key === section);
  return (
    <>
      <PageHeader title={t(`nav.${section}`)} />
      <EmptyState icon={item?.icon ?? Construction} title={t("common.comingSoon")} description={t("common.comingSoonText")} />
    </>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <EmptyState
      icon={MapPinOff}
      title={t("notFound.title")}
      description={t("notFound.text")}
      action={
        <Link to="/" className="text-sm font-medium text-indigo-600 hover:text-indigo-500 dark:text-indigo-400">
          {t("notFound.home")}
        </Link>
      }
    />
  );
}
