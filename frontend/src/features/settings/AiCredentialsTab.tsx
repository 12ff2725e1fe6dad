import { Plug, Trash2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ConnectionTest } from "../../api/types";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/Card";
import { useConfirm } from "../../components/ui/confirm";
import { SelectField, TextField } from "../../components/ui/fields";
import { splitApiError, validate, type FieldErrors } from "../../components/ui/formErrors";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { useDraft } from "../../components/unsaved/useDraft";
import { providerLabel } from "../agents/modelStatus";
import { useAiCredentials, useCreateAiCredential, useDeleteAiCredential, useTestAiCredential } from "./api";

const PROVIDERS = ["openai", "anthropic", "gemini", "openai_compatible"] as const;
const NEW_CREDENTIAL = { provider: "openai", label: "", api_key: "", base_url: "" };

/** The workspace's AI provider keys (write-only: the list shows them masked) and a connection test. */
export function AiCredentialsTab() {
  const { t } = useTranslation();
  const toast = useToast();
  const confirm = useConfirm();
  const credentials = useAiCredentials();
  // The new key is a draft kept above the settings tabs (cleared once saved): not lost on a tab switch.
  const draft = useDraft(NEW_CREDENTIAL, { keep: "ai-credential" });
  const form = draft.value;
  const [errors, setErrors] = useState<FieldErrors<"provider" | "label" | "api_key" | "base_url">>({});
  const [result, setResult] = useState<ConnectionTest | null>(null);
  const create = useCreateAiCredential({
    onSuccess: () => {
      draft.reset();
      toast.success(t("common.saved"));
    },
    onError: (e) => {
      const split = splitApiError(e, ["provider", "label", "api_key", "base_url"] as const);
      setErrors(split.fieldErrors);
      if (split.formError) toast.error(split.formError);
    },
  });
  const remove = useDeleteAiCredential({ onError: toast.error });
  const test = useTestAiCredential({ onSuccess: setResult, onError: toast.error });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const local = {
      api_key: validate.required(form.api_key, t("validation.required")),
      base_url: form.provider === "openai_compatible" ? validate.required(form.base_url, t("validation.required")) : undefined,
    };
    setErrors(local);
    if (!Object.values(local).some(Boolean)) create.mutate(form);
  }
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card className="lg:col-span-2">
        <h2 className="mb-1 text-sm font-semibold">{t("settings.credentials")}</h2>
        <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">{t("settings.credentialsHint")}</p>
        {credentials.isPending ? (
          <PageSkeleton rows={2} />
        ) : credentials.isError ? (
          <ErrorState error={credentials.error} />
        ) : credentials.data.length === 0 ? (
          <p className="text-sm text-slate-400">{t("settings.noCredentials")}</p>
        ) : (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {credentials.data.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center gap-3 py-2 text-sm">
                <Badge tone="indigo">{providerLabel(t, c.provider)}</Badge>
                <span className="min-w-0 flex-1 truncate">
                  {c.label || "—"} <span className="font-mono text-slate-500">{c.api_key_masked}</span>
                </span>
                <Button variant="secondary" size="sm" loading={test.isPending && test.variables?.id === c.id} onClick={() => test.mutate(c)}>
                  <Plug className="size-4" aria-hidden />
                  {t("settings.testConnection")}
                </Button>
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={t("common.delete")}
                  onClick={async () => {
                    if (await confirm({ title: t("settings.deleteCredential"), danger: true, confirmLabel: t("common.delete") })) remove.mutate(c.id);
                  }}
                >
                  <Trash2 className="size-4 text-red-600" aria-hidden />
                </Button>
              </li>
            ))}
          </ul>
        )}
        {result && (
          <div role="status" className={`mt-4 rounded-md p-3 text-sm ${result.ok ? "bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200" : "bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200"}`}>
            {result.ok ? t("settings.testOk", { model: result.model, ms: result.latency_ms }) : t("settings.testFailed")} {result.reply}
          </div>
        )}
      </Card>
      <Card>
        <h2 className="mb-3 text-sm font-semibold">{t("settings.addCredential")}</h2>
        <form noValidate onSubmit={onSubmit} className="space-y-3">
          <SelectField label={t("settings.provider")} value={form.provider} onChange={(e) => draft.set("provider", e.target.value)} error={errors.provider}>
            {PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {providerLabel(t, p)}
              </option>
            ))}
          </SelectField>
          <TextField label={t("settings.label")} value={form.label} onChange={(e) => draft.set("label", e.target.value)} error={errors.label} />
          <TextField label={t("settings.apiKey")} type="password" autoComplete="off" hint={t("settings.apiKeyHint")} value={form.api_key} onChange={(e) => draft.set("api_key", e.target.value)} error={errors.api_key} />
          {form.provider === "openai_compatible" && <TextField label={t("settings.baseUrl")} value={form.base_url} onChange={(e) => draft.set("base_url", e.target.value)} error={errors.base_url} />}
          <Button type="submit" loading={create.isPending} className="w-full">
            {t("common.save")}
          </Button>
        </form>
      </Card>
    </div>
  );
}
