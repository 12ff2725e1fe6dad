import { Copy, KeyRound, Lock, RefreshCw, Trash2 } from "lucide-react";
import { useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ApiKey, ApiKeyScope } from "../../api/types";
import { Button } from "../../components/ui/Button";
import { cn } from "../../components/ui/cn";
import { Badge } from "../../components/ui/Badge";
import { Card } from "../../components/ui/Card";
import { CheckboxField, FormAlert, inputClass, TextField } from "../../components/ui/fields";
import { splitApiError, validate, type FieldErrors } from "../../components/ui/formErrors";
import { useConfirm } from "../../components/ui/confirm";
import { ErrorState, PageSkeleton, Skeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { useWorkspace } from "../workspaces/workspace";
import {
  API_KEY_SCOPES,
  canManageApiChannel,
  ingestExample,
  useApiChannelSettings,
  useApiKeys,
  useIssueApiKey,
  useRevokeApiKey,
  useRotateSecret,
  useSaveWebhook,
} from "./apiChannel";

/**
 * The generic API channel: the webhook replies go to, its signing secret, and the workspace API keys
 * servers deliver messages with. Secrets and keys are shown once, from the response that made them.
 * Members get the explanation only (the API refuses them the keys and the changes).
 */
export function ApiChannelTab() {
  const { current } = useWorkspace();
  const admin = canManageApiChannel(current?.role);
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      {admin ? (
        <>
          <div className="min-w-0 space-y-6 lg:col-span-2">
            <WebhookCard />
            <ApiKeysCard />
          </div>
          <div className="min-w-0">
            <IssueKeyCard />
          </div>
        </>
      ) : (
        <div className="min-w-0 lg:col-span-3">
          <MemberNotice />
        </div>
      )}
      <div className="min-w-0 lg:col-span-3">
        <HowItWorksCard />
      </div>
    </div>
  );
}

function MemberNotice() {
  const { t } = useTranslation();
  return (
    <Card>
      <div className="flex items-start gap-3">
        <Lock className="mt-0.5 size-5 shrink-0 text-slate-400" aria-hidden />
        <div>
          <h2 className="text-sm font-semibold">{t("settings.apiChannel.adminsOnlyTitle")}</h2>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t("settings.apiChannel.adminsOnly")}</p>
        </div>
      </div>
    </Card>
  );
}

function WebhookCard() {
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
          {/* Keyed on the saved URL: the form starts from what the server holds. */}
          <WebhookForm key={settings.data.webhook_url} saved={settings.data.webhook_url} />
          <SigningSecret masked={settings.data.signing_secret} />
        </>
      )}
    </Card>
  );
}

function WebhookForm({ saved }: { saved: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const save = useSaveWebhook();
  const [url, setUrl] = useState(saved);
  const [errors, setErrors] = useState<FieldErrors<"webhook_url">>({});
  const [formError, setFormError] = useState<string | null>(null);
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setFormError(null);
    save.mutate(url.trim(), {
      onSuccess: () => toast.success(t("common.saved")),
      onError: (error) => {
        const split = splitApiError(error, ["webhook_url"] as const);
        setErrors(split.fieldErrors);
        setFormError(split.formError);
      },
    });
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
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        error={errors.webhook_url}
      />
      <div className="flex justify-end">
        <Button type="submit" loading={save.isPending}>
          {t("common.save")}
        </Button>
      </div>
    </form>
  );
}

function SigningSecret({ masked }: { masked: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const confirm = useConfirm();
  const rotate = useRotateSecret();
  const id = useId();
  async function onRotate() {
    const ok = await confirm({
      title: t("settings.apiChannel.rotateConfirmTitle"),
      message: t("settings.apiChannel.rotateConfirm"),
      confirmLabel: t("settings.apiChannel.rotate"),
      danger: true,
    });
    if (ok) rotate.mutate(undefined, { onError: toast.error });
  }
  return (
    <div className="mt-6 border-t border-slate-100 pt-4 dark:border-slate-800">
      {rotate.data ? (
        <ShownOnce label={t("settings.apiChannel.newSecret")} value={rotate.data.signing_secret} onDone={() => rotate.reset()} />
      ) : (
        <>
          <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
            {t("settings.apiChannel.signingSecret")}
          </label>
          <div className="mt-1 flex flex-col gap-2 sm:flex-row">
            <input
              id={id}
              readOnly
              value={masked || t("settings.apiChannel.noSecret")}
              aria-describedby={`${id}-hint`}
              className={cn(inputClass, "min-w-0 flex-1 bg-slate-50 text-slate-500 dark:bg-slate-800/60 dark:text-slate-400", masked && "font-mono")}
            />
            <Button variant="secondary" loading={rotate.isPending} onClick={() => void onRotate()}>
              <RefreshCw className="size-4" aria-hidden />
              {t("settings.apiChannel.rotate")}
            </Button>
          </div>
          <p id={`${id}-hint`} className="mt-1 text-sm text-slate-500 dark:text-slate-400">
            {t("settings.apiChannel.signingSecretHint")}
          </p>
        </>
      )}
    </div>
  );
}

/** A secret from the response that created it: read-only, copyable, gone once dismissed. */
function ShownOnce({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const field = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      toast.success(t("settings.apiChannel.copied"));
    } catch {
      // No clipboard access (permission, insecure origin): select the text for a manual copy.
      field.current?.select();
      toast.info(t("settings.apiChannel.copyManually"));
    }
  }
  return (
    <div className="rounded-lg bg-amber-50 p-3 ring-1 ring-amber-200 sm:p-4 dark:bg-amber-950/40 dark:ring-amber-900">
      <label htmlFor={id} className="block text-sm font-semibold text-amber-900 dark:text-amber-200">
        {label}
      </label>
      {/* A wrapping text area, so the whole value is visible however narrow the card. */}
      <textarea
        ref={field}
        id={id}
        readOnly
        rows={2}
        value={value}
        spellCheck={false}
        onFocus={(e) => e.target.select()}
        aria-describedby={`${id}-note`}
        className={cn(inputClass, "mt-2 resize-none font-mono break-all field-sizing-content")}
      />
      <p id={`${id}-note`} className="mt-2 text-sm text-amber-800 dark:text-amber-300">
        {t("settings.apiChannel.shownOnce")}
      </p>
      <div className="mt-3 flex flex-wrap justify-between gap-2">
        <Button variant="secondary" size="sm" onClick={() => void copy()}>
          <Copy className="size-4" aria-hidden />
          {t("settings.apiChannel.copy")}
        </Button>
        <Button size="sm" onClick={onDone}>
          {t("settings.apiChannel.done")}
        </Button>
      </div>
    </div>
  );
}

function IssueKeyCard() {
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

function ApiKeysCard() {
  const { t } = useTranslation();
  const keys = useApiKeys();
  return (
    <Card>
      <h2 className="mb-1 text-sm font-semibold">{t("settings.apiChannel.keysTitle")}</h2>
      <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">{t("settings.apiChannel.keysHint")}</p>
      {keys.isPending ? (
        <PageSkeleton rows={2} />
      ) : keys.isError ? (
        <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <p className="text-sm text-slate-400">{t("settings.apiChannel.noKeys")}</p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label={t("settings.apiChannel.keysTitle")}>
          {keys.data.map((k) => (
            <ApiKeyRow key={k.id} apiKey={k} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function ApiKeyRow({ apiKey: k }: { apiKey: ApiKey }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const confirm = useConfirm();
  const revoke = useRevokeApiKey();
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  async function onRevoke() {
    const ok = await confirm({
      title: t("settings.apiChannel.revokeConfirmTitle", { name: k.name }),
      message: t("settings.apiChannel.revokeConfirm"),
      confirmLabel: t("settings.apiChannel.revoke"),
      danger: true,
    });
    if (ok) revoke.mutate(k.id, { onSuccess: () => toast.success(t("settings.apiChannel.revoked")), onError: toast.error });
  }
  return (
    <li className="flex items-start gap-3 py-3 text-sm">
      <div className={cn("min-w-0 flex-1", k.revoked_at && "opacity-70")}>
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <span className="min-w-0 truncate font-medium">{k.name}</span>
          <code className="text-xs text-slate-500 dark:text-slate-400">{k.hint}</code>
          {k.revoked_at && <Badge tone="red">{t("settings.apiChannel.revokedOn", { date: when(k.revoked_at) })}</Badge>}
        </p>
        <div className="mt-1 flex flex-wrap gap-1">
          {k.scopes.map((scope) => (
            <Badge key={scope} tone={k.revoked_at ? "gray" : "indigo"}>
              {t(`settings.apiChannel.scopeShort.${scope}`)}
            </Badge>
          ))}
        </div>
        <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          {t("settings.apiChannel.createdBy", { who: k.created_by ?? "—", date: when(k.created_at) })}
          {" · "}
          {k.last_used_at ? t("settings.apiChannel.lastUsed", { date: when(k.last_used_at) }) : t("settings.apiChannel.neverUsed")}
        </p>
      </div>
      {!k.revoked_at && (
        <Button variant="ghost" size="sm" loading={revoke.isPending} aria-label={t("settings.apiChannel.revokeKey", { name: k.name })} onClick={() => void onRevoke()}>
          <Trash2 className="size-4 text-red-600" aria-hidden />
        </Button>
      )}
    </li>
  );
}

const FIELDS = ["external_chat_id", "external_message_id", "text", "customer_name"] as const;
const codeBlock = "mt-2 whitespace-pre-wrap wrap-anywhere rounded-lg p-3 font-mono text-xs leading-relaxed";

function HowItWorksCard() {
  const { t } = useTranslation();
  const muted = "text-sm text-slate-600 dark:text-slate-400";
  const light = cn(codeBlock, "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200");
  return (
    <Card>
      <h2 className="mb-1 text-sm font-semibold">{t("settings.apiChannel.howTitle")}</h2>
      <p className={cn(muted, "max-w-3xl")}>{t("settings.apiChannel.howIntro")}</p>
      <div className="mt-4 grid gap-6 md:grid-cols-2">
        <div className="min-w-0">
          <h3 className="text-sm font-medium">{t("settings.apiChannel.howRequest")}</h3>
          <pre className={cn(codeBlock, "bg-slate-900 text-slate-100 ring-1 ring-slate-800 dark:bg-slate-950")}>{ingestExample(window.location.origin)}</pre>
          <p className={cn(muted, "mt-3")}>{t("settings.apiChannel.howAnswer")}</p>
        </div>
        <div className="min-w-0">
          <dl className="space-y-2 text-sm">
            {FIELDS.map((field) => (
              <div key={field}>
                <dt>
                  <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-200">{field}</code>
                </dt>
                <dd className="mt-0.5 text-slate-600 dark:text-slate-400">{t(`settings.apiChannel.field.${field}`)}</dd>
              </div>
            ))}
          </dl>
          <h3 className="mt-4 text-sm font-medium">{t("settings.apiChannel.howReplies")}</h3>
          <p className={cn(muted, "mt-1")}>{t("settings.apiChannel.howWebhook")}</p>
          <pre className={light}>{'HMAC-SHA256(secret, <X-Timestamp> + "." + <body>)'}</pre>
          <p className={cn(muted, "mt-3")}>{t("settings.apiChannel.howPolling")}</p>
          <pre className={light}>{"GET /api/conversations/<id>/messages"}</pre>
        </div>
      </div>
    </Card>
  );
}
