import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { useToast } from "../../components/ui/toast";
import { useResendVerification } from "./api";

/** The login's "confirm your email first", with a button that mails `email` a new link right there. */
export function UnverifiedEmail({ email }: { email: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const resend = useResendVerification({ onError: (error) => toast.error(error) });
  return (
    <div role="alert" className="space-y-2 rounded-md bg-amber-50 p-3 text-sm text-amber-800 ring-1 ring-amber-200 dark:bg-amber-950/50 dark:text-amber-200 dark:ring-amber-900">
      <p>{t("auth.notVerified", { email })}</p>
      {resend.isSuccess ? (
        <p role="status" className="font-medium">
          {t("auth.resentTo", { email })}
        </p>
      ) : (
        <Button type="button" variant="secondary" size="sm" loading={resend.isPending} onClick={() => resend.mutate(email)}>
          {t("auth.resendEmail")}
        </Button>
      )}
    </div>
  );
}
