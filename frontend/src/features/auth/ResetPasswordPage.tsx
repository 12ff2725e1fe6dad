import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { Button } from "../../components/ui/Button";
import { FormAlert, TextField } from "../../components/ui/fields";
import { hasErrors, splitApiError, validate, type FieldErrors } from "../../components/ui/formErrors";
import { useResetPassword } from "./api";
import { AuthLayout, linkClass } from "./AuthLayout";
import { PASSWORD_MIN } from "./password";

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<FieldErrors<"password" | "confirm">>({});
  const [formError, setFormError] = useState<string | null>(null);
  const reset = useResetPassword();
  const [done, setDone] = useState(false);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local = {
      password: validate.minLength(password, PASSWORD_MIN, t("auth.errors.passwordShort", { min: PASSWORD_MIN })),
      confirm: confirm === password ? undefined : t("auth.errors.passwordMismatch"),
    };
    setErrors(local);
    setFormError(null);
    if (hasErrors(local)) return;
    reset.mutate(
      { token, password },
      {
        onSuccess: () => setDone(true),
        onError: (error) => {
          // A bad or used token comes back as an error on `token`: shown above the form.
          const split = splitApiError(error, ["password"] as const);
          setErrors(split.fieldErrors);
          setFormError(split.formError);
        },
      },
    );
  }

  const back = (
    <Link to="/login" className={linkClass}>
      {t("auth.backToLogin")}
    </Link>
  );
  if (!token) {
    return (
      <AuthLayout title={t("auth.resetTitle")} footer={back}>
        <FormAlert>{t("auth.resetNoToken")}</FormAlert>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={t("auth.resetTitle")} footer={back}>
      {done ? (
        <p role="status" className="text-sm">
          {t("auth.resetDone")}
        </p>
      ) : (
        <form noValidate onSubmit={onSubmit} className="space-y-4">
          <FormAlert>{formError}</FormAlert>
          <TextField
            label={t("auth.newPassword")}
            name="password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
          />
          <TextField
            label={t("auth.confirmPassword")}
            name="confirm"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            error={errors.confirm}
          />
          <Button type="submit" className="w-full" loading={reset.isPending}>
            {t("auth.resetSubmit")}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
