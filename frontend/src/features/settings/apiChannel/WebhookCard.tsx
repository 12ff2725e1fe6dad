import { useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../../components/ui/Card";
import { FormAlert, TextField } from "../../../components/ui/fields";
import { splitApiError, type FieldErrors } from "../../../components/ui/formErrors";
import { ErrorState, Skeleton } from "../../../components/ui/states";
import { useToast } from "../../../components/ui/toast";
import { DirtyBar } from "../../../components/unsaved/DirtyBar";
import { useUnsavedChanges } from "../../../components/unsaved/UnsavedChanges";
import { useDraft } from "../../../components/unsaved/useDraft";
import { useApiChannelSettings, useSaveWebhook } from "../api";
import { SigningSecret } from "./SigningSecret";

/** Where replies go: the webhook URL, and the secret that signs them. */
export function WebhookCard() {
  const { t } = useTranslation();
  const settings = useApiChannelSettings();
  return (
    <Card>
      <h2 className="mb-1 text-sm font-semibold">{t("settings.apiChannel.webhookTitle")}</h2>
      <p className="mb-4 text-sm text-slate-500 dark:text-slate-400">{t("settings.apiChannel.webhookHint")}</p>
      {settings.isPending ? (
        <div className="space-y-4" role="status" aria-label={t("common.loading")}>
          <Skeleton className="h-10" />
          <Skeleton className="h-10" />
        </div>
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <>
          <WebhookForm saved={settings.data.webhook_url} />
          <SigningSecret masked={settings.data.signing_secret} />
        </>
      )}
    </Card>
  );
}

/** The webhook URL as a draft of the saved one: Save, Discard, and a question before leaving with changes. */
function WebhookForm({ saved }: { saved: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const save = useSaveWebhook();
  const draft = useDraft(useMemo(() => ({ url: saved }), [saved]), { keep: "api-channel-webhook" });
  const confirmDiscard = useUnsavedChanges(draft.dirty);
  const [errors, setErrors] = useState<FieldErrors<"webhook_url">>({});
  const [formError, setFormError] = useState<string | null>(null);
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setFormError(null);
    save.mutate(draft.value.url.trim(), {
      onSuccess: () => {
        draft.reset(); // the saved settings are in the cache already
        toast.success(t("common.saved"));
      },
      onError: (error) => {
        const split = splitApiError(error, ["webhook_url"] as const);
        setErrors(split.fieldErrors);
        setFormError(split.formError);
      },
    });
  }
  async function onDiscard() {
    if (!(await confirmDiscard())) return;
    draft.reset();
    setErrors({});
    setFormError(null);
  }
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-3">
      <FormAlert>{formError}</FormAlert>
      <TextField
        label={t("settings.apiChannel.webhookUrl")}
        type="url"
        inputMode="url"
        placeholder="https://example.com/hooks/ai-replies"
        autoComplete="off"
        hint={t("settings.apiChannel.webhookUrlHint")}
        value={draft.value.url}
        onChange={(e) => draft.set("url", e.target.value)}
        error={errors.webhook_url}
      />
      <DirtyBar inline dirty={draft.dirty} saving={save.isPending} onDiscard={() => void onDiscard()} />
    </form>
  );
}
