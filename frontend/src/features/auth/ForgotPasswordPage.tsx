import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../api/client";
import { Button } from "../../components/ui/Button";
import { FormAlert, TextField } from "../../components/ui/fields";
import { splitApiError, validate } from "../../components/ui/formErrors";
import { AuthLayout, linkClass } from "./AuthLayout";

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [sent, setSent] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local = validate.email(email, { required: t("auth.errors.emailRequired"), invalid: t("auth.errors.emailInvalid") });
    setError(local);
    setFormError(null);
    if (local) return;
    setSubmitting(true);
    try {
      await api.post("/api/auth/forgot-password", { email: email.trim() }, { auth: false, workspace: false });
      setSent(true);
    } catch (err) {
      const split = splitApiError(err, ["email"] as const);
      setError(split.fieldErrors.email);
      setFormError(split.formError);
    } finally {
      setSubmitting(false);
    }
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
          <Button type="submit" className="w-full" loading={submitting}>
            {t("auth.forgotSend")}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
