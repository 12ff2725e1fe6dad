import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/Card";
import { FormAlert, TextField } from "../../components/ui/fields";
import { splitApiError, validate, type FieldErrors } from "../../components/ui/formErrors";
import { useToast } from "../../components/ui/toast";
import { useUnsavedChanges } from "../../components/unsaved/UnsavedChanges";
import { PASSWORD_MIN } from "../auth/password";
import { useChangePassword } from "./api";

type PasswordField = "current_password" | "new_password" | "confirm";

/** Change the password: the other sessions end, this one goes on with the new tokens. */
export function PasswordTab() {
  const { t } = useTranslation();
  const toast = useToast();
  const [values, setValues] = useState({ current_password: "", new_password: "", confirm: "" });
  const [errors, setErrors] = useState<FieldErrors<PasswordField>>({});
  useUnsavedChanges(Boolean(values.current_password || values.new_password || values.confirm));
  const [formError, setFormError] = useState<string | null>(null);
  const change = useChangePassword({
    onSuccess: () => {
      setValues({ current_password: "", new_password: "", confirm: "" });
      toast.success(t("settings.passwordChanged"));
    },
    onError: (error) => {
      const split = splitApiError(error, ["current_password", "new_password"] as const);
      setErrors(split.fieldErrors);
      setFormError(split.formError);
    },
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const local: FieldErrors<PasswordField> = {
      current_password: validate.required(values.current_password, t("auth.errors.passwordRequired")),
      new_password: validate.minLength(values.new_password, PASSWORD_MIN, t("auth.errors.passwordShort", { min: PASSWORD_MIN })),
      confirm: values.confirm === values.new_password ? undefined : t("auth.errors.passwordMismatch"),
    };
    setErrors(local);
    setFormError(null);
    if (Object.values(local).some(Boolean)) return;
    change.mutate({ current_password: values.current_password, new_password: values.new_password });
  }
  const field = (key: PasswordField) => ({
    value: values[key],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value })),
    error: errors[key],
    type: "password",
  });
  return (
    <Card className="max-w-xl">
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <FormAlert>{formError}</FormAlert>
        <TextField label={t("settings.currentPassword")} autoComplete="current-password" {...field("current_password")} />
        <TextField label={t("auth.newPassword")} autoComplete="new-password" {...field("new_password")} />
        <TextField label={t("auth.confirmPassword")} autoComplete="new-password" {...field("confirm")} />
        <div className="flex justify-end">
          <Button type="submit" loading={change.isPending}>
            {t("settings.changePassword")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
