import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/problem";
import { Button } from "../../components/ui/Button";
import { FormAlert, TextField } from "../../components/ui/fields";
import { splitApiError, validate, type FieldErrors } from "../../components/ui/formErrors";
import { useToast } from "../../components/ui/toast";
import { useKommoConnectLongLived, type LongLivedInput } from "./api";

const FIELDS = ["base_domain", "access_token", "client_id", "client_secret"] as const;
type Field = (typeof FIELDS)[number];
const EMPTY: LongLivedInput = { base_domain: "", access_token: "", client_id: "", client_secret: "" };

/**
 * A private integration's long-lived token, its integration id and secret key. Write-only: the token
 * and the secret are never shown back, and the form empties once Kommo accepted them.
 */
export function LongLivedForm({ onConnected, onCancel }: { onConnected?: () => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [form, setForm] = useState<LongLivedInput>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const connect = useKommoConnectLongLived({
    onSuccess: () => {
      setForm(EMPTY);
      toast.success(t("integrations.kommo.connectedToast"));
      onConnected?.();
    },
    onError: (error) => {
      // A domain that is not a Kommo account is refused as an invalid OAuth "referer": it belongs to the domain field.
      if (error instanceof ApiError && error.code === "kommo_oauth_state_invalid") {
        setErrors({ base_domain: error.detail });
        setFormError(null);
        return;
      }
      const split = splitApiError(error, FIELDS);
      setErrors(split.fieldErrors);
      setFormError(split.formError);
    },
  });
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local: FieldErrors<Field> = {};
    for (const field of FIELDS) local[field] = validate.required(form[field], t("validation.required"));
    setErrors(local);
    setFormError(null);
    if (Object.values(local).some(Boolean)) return;
    connect.mutate({
      base_domain: form.base_domain.trim(),
      access_token: form.access_token.trim(),
      client_id: form.client_id.trim(),
      client_secret: form.client_secret.trim(),
    });
  }
  const field = (name: Field) => ({
    name,
    value: form[name],
    error: errors[name],
    autoComplete: "off",
    spellCheck: false,
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value })),
  });
  return (
    <form noValidate onSubmit={onSubmit} aria-label={t("integrations.kommo.tokenTitle")} className="space-y-3 border-t border-slate-100 pt-4 dark:border-slate-800">
      <div>
        <h4 className="text-sm font-semibold">{t("integrations.kommo.tokenTitle")}</h4>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{t("integrations.kommo.tokenText")}</p>
      </div>
      <FormAlert>{formError}</FormAlert>
      <div className="grid gap-3 md:grid-cols-2">
        <TextField label={t("integrations.kommo.baseDomain")} placeholder="acme.kommo.com" inputMode="url" hint={t("integrations.kommo.baseDomainHint")} {...field("base_domain")} />
        <TextField label={t("integrations.kommo.clientId")} {...field("client_id")} />
        <TextField label={t("integrations.kommo.accessToken")} type="password" hint={t("integrations.kommo.writeOnly")} {...field("access_token")} />
        <TextField label={t("integrations.kommo.clientSecret")} type="password" hint={t("integrations.kommo.writeOnly")} {...field("client_secret")} />
      </div>
      <div className="flex flex-wrap justify-end gap-2">
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
        )}
        <Button type="submit" loading={connect.isPending}>
          {t("integrations.kommo.connectToken")}
        </Button>
      </div>
    </form>
  );
}
