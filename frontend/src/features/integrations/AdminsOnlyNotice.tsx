import { Lock } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/ui/Card";

/** What a member sees instead of the buttons: who manages the connection (the API refuses members). */
export function AdminsOnlyNotice({ linked }: { linked: boolean }) {
  const { t } = useTranslation();
  return (
    <Card>
      <div className="flex items-start gap-3">
        <Lock className="mt-0.5 size-5 shrink-0 text-slate-400" aria-hidden />
        <div>
          <h3 className="text-sm font-semibold">{t("integrations.kommo.adminsOnlyTitle")}</h3>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {linked ? t("integrations.kommo.adminsOnly") : t("integrations.kommo.adminsOnlyConnect")}
          </p>
        </div>
      </div>
    </Card>
  );
}
