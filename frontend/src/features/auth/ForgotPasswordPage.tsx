import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Button } from "../../components/ui/Button";
import { FormAlert, TextField } from "../../components/ui/fields";
import { splitApiError, validate } from "../../components/ui/formErrors";
import { useForgotPassword } from "./api";
import { AuthLayout, linkClass } from "./AuthLayout";

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const forgot = useForgotPassword();
  const [sent, setSent] = useState(false);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local = validate.email(email, { required: t("auth.errors.emailRequired"), invalid: t("auth.errors.emailInvalid") });
    setError(local);
    setFormError(null);
    if (local) return;
    forgot.mutate(email.trim(), {
      onSuccess: () => setSent(true),
      onError: (err) => {
        const split = splitApiError(err, ["email"] as const);
        setError(split.fieldErrors.email);
        setFormError(split.formError);
      },
    });
  }

  return (
    <AuthLayout
      title={t("auth.forgotTitle")}
      footer={
        <Link to="/login" className={linkClass}>
          {t("auth.backToLogin")}
        </Link>
      }
    >
      {sent ? (
        <p role="status" className="text-sm">
          {t("auth.forgotSent", { email: email.trim() })}
        </p>
      ) : (
        <form noValidate onSubmit={onSubmit} className="space-y-4">
          <p className="text-sm text-slate-600 dark:text-slate-400">{t("auth.forgotText")}</p>
          <FormAlert>{formError}</FormAlert>
          <TextField
            label={t("auth.email")}
            name="email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={error}
          />
          <Button type="submit" className="w-full" loading={forgot.isPending}>
            {t("auth.forgotSend")}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
