import { KeyRound } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiKeyScope } from "../../../api/types";
import { Button } from "../../../components/ui/Button";
import { Card } from "../../../components/ui/Card";
import { CheckboxField, FormAlert, TextField } from "../../../components/ui/fields";
import { splitApiError, validate, type FieldErrors } from "../../../components/ui/formErrors";
import { useIssueApiKey } from "../api";
import { API_KEY_SCOPES } from "./channel";
import { ShownOnce } from "./ShownOnce";

/** Issue a workspace API key with its scopes; the whole key is shown once. */
export function IssueKeyCard() {
  const { t } = useTranslation();
  const issue = useIssueApiKey();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>(["channel_api"]);
  const [errors, setErrors] = useState<FieldErrors<"name" | "scopes">>({});
  const [formError, setFormError] = useState<string | null>(null);
  const scopesErrorId = useId();
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const local = {
      name: validate.required(name, t("validation.required")),
      scopes: scopes.length ? undefined : t("settings.apiChannel.scopesRequired"),
    };
    setErrors(local);
    setFormError(null);
    if (Object.values(local).some(Boolean)) return;
    issue.mutate(
      { name: name.trim(), scopes },
      {
        onSuccess: () => setName(""),
        onError: (error) => {
          const split = splitApiError(error, ["name", "scopes"] as const);
          setErrors(split.fieldErrors);
          setFormError(split.formError);
        },
      },
    );
  }
  return (
    <Card>
      <h2 className="mb-3 text-sm font-semibold">{t("settings.apiChannel.issueTitle")}</h2>
      {issue.data ? (
        <ShownOnce label={t("settings.apiChannel.newKey", { name: issue.data.name })} value={issue.data.key} onDone={() => issue.reset()} />
      ) : (
        <form noValidate onSubmit={onSubmit} className="space-y-3">
          <FormAlert>{formError}</FormAlert>
          <TextField
            label={t("settings.apiChannel.keyName")}
            placeholder={t("settings.apiChannel.keyNamePlaceholder")}
            maxLength={100}
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={errors.name}
          />
          <fieldset aria-describedby={errors.scopes ? scopesErrorId : undefined}>
            <legend className="mb-2 text-sm font-medium text-slate-700 dark:text-slate-300">{t("settings.apiChannel.scopes")}</legend>
            <div className="space-y-2">
              {API_KEY_SCOPES.map((scope) => (
                <CheckboxField
                  key={scope}
                  label={t(`settings.apiChannel.scope.${scope}`)}
                  hint={<code className="text-xs">{scope}</code>}
                  checked={scopes.includes(scope)}
                  onChange={(on) => setScopes((all) => (on ? API_KEY_SCOPES.filter((s) => s === scope || all.includes(s)) : all.filter((s) => s !== scope)))}
                />
              ))}
            </div>
            {errors.scopes && (
              <p id={scopesErrorId} className="mt-1 text-sm text-red-600 dark:text-red-400">
                {errors.scopes}
              </p>
            )}
          </fieldset>
          <Button type="submit" loading={issue.isPending} className="w-full">
            <KeyRound className="size-4" aria-hidden />
            {t("settings.apiChannel.issue")}
          </Button>
        </form>
      )}
    </Card>
  );
}
