import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { UserSettings } from "../../api/types";
import { Card } from "../../components/ui/Card";
import { CheckboxField } from "../../components/ui/fields";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { useSaveNotifications, useUserSettings } from "./api";

const NOTIFICATION_KINDS = ["approval_requested", "conversation_handed_off", "member_joined"];

/** Which events reach the user in the app and by email. */
export function NotificationsTab() {
  const { t } = useTranslation();
  const toast = useToast();
  // The boxes change at once (controlled inputs); a refusal puts the saved state back.
  const [local, setLocal] = useState<UserSettings["notifications"] | null>(null);
  const settings = useUserSettings();
  const save = useSaveNotifications({
    onSuccess: () => toast.success(t("common.saved")),
    onError: (error) => {
      setLocal(null);
      toast.error(error);
    },
  });
  if (settings.isPending) return <PageSkeleton rows={2} />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  // Every kind the platform sends, with the saved choice or the default (both channels on).
  const prefs: UserSettings["notifications"] = local ?? Object.fromEntries(
    [...new Set([...NOTIFICATION_KINDS, ...Object.keys(settings.data.notifications)])].map((kind) => [
      kind,
      { in_app: true, email: true, ...settings.data.notifications[kind] },
    ]),
  );
  return (
    <Card className="max-w-2xl">
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-slate-500 dark:text-slate-400">
            <th className="py-2 font-medium">{t("settings.event")}</th>
            <th className="py-2 font-medium">{t("settings.inApp")}</th>
            <th className="py-2 font-medium">{t("settings.email")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {Object.entries(prefs).map(([event, channels]) => (
            <tr key={event}>
              <td className="py-2">{t(`settings.events.${event}`, { defaultValue: event.replace(/[._]/g, " ") })}</td>
              {(["in_app", "email"] as const).map((channel) => (
                <td key={channel} className="py-2">
                  <CheckboxField
                    label={<span className="sr-only">{`${event} ${channel}`}</span>}
                    checked={channels[channel] ?? false}
                    onChange={(on) => {
                      const next = { ...prefs, [event]: { ...channels, [channel]: on } };
                      setLocal(next);
                      save.mutate(next);
                    }}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
