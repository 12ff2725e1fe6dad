import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../../api/problem";
import { Button } from "../../components/ui/Button";
import { FormAlert, TextField } from "../../components/ui/fields";
import { hasErrors, splitApiError, validate, type FieldErrors } from "../../components/ui/formErrors";
import { AuthLayout, linkClass } from "./AuthLayout";
import { safeNext } from "./guards";
import { useSession } from "./session";
import { UnverifiedEmail } from "./UnverifiedEmail";

const FIELDS = ["email", "password"] as const;
type Field = (typeof FIELDS)[number];

export function LoginPage() {
  const { t } = useTranslation();
  const { login } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  // The address that logged in right but must be confirmed first (offered a new link).
  const [unverified, setUnverified] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local = {
      email: validate.email(email, { required: t("auth.errors.emailRequired"), invalid: t("auth.errors.emailInvalid") }),
      password: validate.required(password, t("auth.errors.passwordRequired")),
    };
    setErrors(local);
    setFormError(null);
    setUnverified(null);
    if (hasErrors(local)) return;
    setSubmitting(true);
    try {
      await login(email.trim(), password);
      navigate(safeNext(params.get("next")), { replace: true });
    } catch (error) {
      setSubmitting(false);
      if (error instanceof ApiError && error.code === "email_not_verified") {
        setUnverified(email.trim());
        return;
      }
      const split = splitApiError(error, FIELDS);
      setErrors(split.fieldErrors);
      setFormError(split.formError);
    }
  }

  return (
    <AuthLayout
      title={t("auth.loginTitle")}
      footer={
        <>
          {t("auth.noAccount")}{" "}
          <Link to="/register" className={linkClass}>
            {t("auth.register")}
          </Link>
        </>
      }
    >
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <FormAlert>{formError}</FormAlert>
        {unverified && <UnverifiedEmail key={unverified} email={unverified} />}
        <TextField
          label={t("auth.email")}
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
        />
        <TextField
          label={t("auth.password")}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
        />
        <div className="flex justify-end text-sm">
          <Link to="/forgot-password" className={linkClass}>
            {t("auth.forgot")}
          </Link>
        </div>
        <Button type="submit" className="w-full" loading={submitting}>
          {t("auth.login")}
        </Button>
      </form>
    </AuthLayout>
  );
}
