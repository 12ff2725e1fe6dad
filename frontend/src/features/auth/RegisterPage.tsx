import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Button } from "../../components/ui/Button";
import { FormAlert, TextField } from "../../components/ui/fields";
import { hasErrors, splitApiError, validate, type FieldErrors } from "../../components/ui/formErrors";
import { useRegister } from "./api";
import { AuthLayout, linkClass } from "./AuthLayout";
import { PASSWORD_MIN } from "./password";

const FIELDS = ["name", "email", "password"] as const;
type Field = (typeof FIELDS)[number];

export function RegisterPage() {
  const { t, i18n } = useTranslation();
  const [values, setValues] = useState<Record<Field, string>>({ name: "", email: "", password: "" });
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const register = useRegister({
    onSuccess: () => setDone(true),
    onError: (error) => {
      const split = splitApiError(error, FIELDS);
      setErrors(split.fieldErrors);
      setFormError(split.formError);
    },
  });

  const set = (field: Field) => (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [field]: e.target.value }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local = {
      name: validate.required(values.name, t("auth.errors.nameRequired")),
      email: validate.email(values.email, { required: t("auth.errors.emailRequired"), invalid: t("auth.errors.emailInvalid") }),
      password: validate.minLength(values.password, PASSWORD_MIN, t("auth.errors.passwordShort", { min: PASSWORD_MIN })),
    };
    setErrors(local);
    setFormError(null);
    if (hasErrors(local)) return;
    register.mutate({
      name: values.name.trim(),
      email: values.email.trim(),
      password: values.password,
      // The profile starts in the UI's language and the browser's time zone (working hours use it).
      language: i18n.language.startsWith("ru") ? "ru" : "en",
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
    });
  }

  return (
    <AuthLayout
      title={t("auth.registerTitle")}
      footer={
        <>
          {t("auth.haveAccount")}{" "}
          <Link to="/login" className={linkClass}>
            {t("auth.login")}
          </Link>
        </>
      }
    >
      {done ? (
        <p role="status" className="text-sm">
          {t("auth.registered", { email: values.email.trim() })}
        </p>
      ) : (
        <form noValidate onSubmit={onSubmit} className="space-y-4">
          <FormAlert>{formError}</FormAlert>
          <TextField label={t("auth.name")} name="name" autoComplete="name" value={values.name} onChange={set("name")} error={errors.name} />
          <TextField
            label={t("auth.email")}
            name="email"
            type="email"
            autoComplete="email"
            value={values.email}
            onChange={set("email")}
            error={errors.email}
          />
          <TextField
            label={t("auth.password")}
            name="password"
            type="password"
            autoComplete="new-password"
            value={values.password}
            onChange={set("password")}
            error={errors.password}
            hint={t("auth.errors.passwordShort", { min: PASSWORD_MIN })}
          />
          <Button type="submit" className="w-full" loading={register.isPending}>
            {t("auth.register")}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
