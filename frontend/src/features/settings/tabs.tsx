import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plug, Trash2, UserPlus } from "lucide-react";
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, type TokenPair } from "../../api/client";
import { queryKeys } from "../../api/queryClient";
import { useWsKey } from "../../api/hooks";
import { fetchAllPages } from "../../api/paging";
import type { AICredential, ConnectionTest, Invitation, Member, Paginated, Profile, UserSettings } from "../../api/types";
import { Button } from "../../components/ui/Button";
import { Badge } from "../../components/ui/Badge";
import { Card } from "../../components/ui/Card";
import { CheckboxField, FormAlert, SelectField, TextField } from "../../components/ui/fields";
import { splitApiError, validate, type FieldErrors } from "../../components/ui/formErrors";
import { useConfirm } from "../../components/ui/confirm";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { useWorkspace } from "../workspaces/workspace";
import { useModels } from "../agents/api";
import { PASSWORD_MIN } from "../auth/password";


const NOTIFICATION_KINDS = ["approval_requested", "conversation_handed_off", "member_joined"];

export function AvatarCard({ profile }: { profile: Profile & { avatar_url?: string | null } }) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const upload = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append("avatar", file);
      return api.post<Profile>("/api/user/avatar", form, { workspace: false });
    },
    onSuccess: (data) => {
      queryClient.setQueryData(queryKeys.profile, data);
      toast.success(t("common.saved"));
    },
    onError: toast.error,
  });
  return (
    <div className="flex items-center gap-4">
      {profile.avatar_url ? (
        <img src={profile.avatar_url} alt={t("settings.avatar")} className="size-16 rounded-full object-cover" />
      ) : (
        <span className="flex size-16 items-center justify-center rounded-full bg-indigo-100 text-xl font-semibold text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">
          {(profile.name || profile.email).slice(0, 1).toUpperCase()}
        </span>
      )}
      <input
        ref={input}
        type="file"
        accept="image/png,image/jpeg,image/webp"
        className="hidden"
        aria-label={t("settings.uploadAvatar")}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file && file.size > 2 * 1024 * 1024) toast.error(t("settings.avatarTooBig"));
          else if (file) upload.mutate(file);
          e.target.value = "";
        }}
      />
      <Button variant="secondary" loading={upload.isPending} onClick={() => input.current?.click()}>
        {t("settings.uploadAvatar")}
      </Button>
    </div>
  );
}

type PasswordField = "current_password" | "new_password" | "confirm";

export function PasswordTab() {
  const { t } = useTranslation();
  const toast = useToast();
  const [values, setValues] = useState({ current_password: "", new_password: "", confirm: "" });
  const [errors, setErrors] = useState<FieldErrors<PasswordField>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: () => api.post<TokenPair>("/api/user/password", { current_password: values.current_password, new_password: values.new_password }, { workspace: false }),
    onSuccess: (tokens) => {
      api.setTokens(tokens);
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
    change.mutate();
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

export function NotificationsTab() {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  // The boxes change at once (controlled inputs); a refusal puts the saved state back.
  const [local, setLocal] = useState<UserSettings["notifications"] | null>(null);
  const settings = useQuery({ queryKey: ["me", "settings"], queryFn: ({ signal }) => api.get<UserSettings>("/api/user/settings", { workspace: false, signal }) });
  const save = useMutation({
    mutationFn: (notifications: UserSettings["notifications"]) => api.patch<UserSettings>("/api/user/settings", { notifications }, { workspace: false }),
    onSuccess: (data) => {
      queryClient.setQueryData(["me", "settings"], data);
      toast.success(t("common.saved"));
    },
    onError: (error) => {
      setLocal(null);
      toast.error(error);
    },
  });
  if (settings.isPending) return <PageSkeleton rows={2} />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  // Every kind the platform sends, with the saved choice or the default (both channels on).
  const prefs: UserSettings["notifications"] = local ?? Object.fromEntries(
    [...new Set([...NOTIFICATION_KINDS, ...Object.keys(settings.data.notifications)])].map((kind) => [
      kind,
      { in_app: true, email: true, ...settings.data.notifications[kind] },
    ]),
  );
  return (
    <Card className="max-w-2xl">
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-slate-500 dark:text-slate-400">
            <th className="py-2 font-medium">{t("settings.event")}</th>
            <th className="py-2 font-medium">{t("settings.inApp")}</th>
            <th className="py-2 font-medium">{t("settings.email")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {Object.entries(prefs).map(([event, channels]) => (
            <tr key={event}>
              <td className="py-2">{t(`settings.events.${event}`, { defaultValue: event.replace(/[._]/g, " ") })}</td>
              {(["in_app", "email"] as const).map((channel) => (
                <td key={channel} className="py-2">
                  <CheckboxField
                    label={<span className="sr-only">{`${event} ${channel}`}</span>}
                    checked={channels[channel] ?? false}
                    onChange={(on) => {
                      const next = { ...prefs, [event]: { ...channels, [channel]: on } };
                      setLocal(next);
                      save.mutate(next);
                    }}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

export function TeamTab() {
  const { t } = useTranslation();
  const toast = useToast();
  const confirm = useConfirm();
  const { current } = useWorkspace();
  const key = useWsKey();
  const queryClient = useQueryClient();
  const id = current?.id;
  const members = useQuery({ queryKey: key("member"), queryFn: ({ signal }) => api.get<Member[] | Paginated<Member>>(`/api/workspaces/${id}/members`, { signal }), select: (d) => (Array.isArray(d) ? d : d.results) });
  const invitations = useQuery({
    queryKey: key("invitation"),
    queryFn: ({ signal }) => api.get<Invitation[] | Paginated<Invitation>>(`/api/workspaces/${id}/invitations`, { signal }),
    select: (d) => (Array.isArray(d) ? d : d.results),
  });
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: key("member") }), queryClient.invalidateQueries({ queryKey: key("invitation") })]);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("member");
  const [errors, setErrors] = useState<FieldErrors<"email" | "role">>({});
  const invite = useMutation({
    mutationFn: () => api.post(`/api/workspaces/${id}/invitations`, { email: email.trim(), role }),
    onSuccess: () => {
      setEmail("");
      toast.success(t("settings.invited"));
      void refresh();
    },
    onError: (e) => {
      const split = splitApiError(e, ["email", "role"] as const);
      setErrors(split.fieldErrors);
      if (split.formError) toast.error(split.formError);
    },
  });
  const setMemberRole = useMutation({ mutationFn: (v: { id: number; role: string }) => api.patch(`/api/workspaces/${id}/members/${v.id}`, { role: v.role }), onSuccess: refresh, onError: toast.error });
  const removeMember = useMutation({ mutationFn: (m: number) => api.delete(`/api/workspaces/${id}/members/${m}`), onSuccess: refresh, onError: toast.error });
  const revoke = useMutation({ mutationFn: (i: number) => api.delete(`/api/workspaces/${id}/invitations/${i}`), onSuccess: refresh, onError: toast.error });
  function onInvite(e: FormEvent) {
    e.preventDefault();
    const local = { email: validate.email(email, { required: t("auth.errors.emailRequired"), invalid: t("auth.errors.emailInvalid") }) };
    setErrors(local);
    if (!local.email) invite.mutate();
  }
  const roles = ["member", "admin", "owner"];
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card className="lg:col-span-2">
        <h2 className="mb-3 text-sm font-semibold">{t("settings.members")}</h2>
        {members.isPending ? (
          <PageSkeleton rows={2} />
        ) : members.isError ? (
          <ErrorState error={members.error} />
        ) : (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {members.data.map((m) => (
              <li key={m.id} className="flex flex-wrap items-center gap-3 py-2 text-sm">
                <div className="min-w-0 flex-1">
                  <p className="truncate font-medium">{m.name || m.email}</p>
                  <p className="truncate text-slate-500 dark:text-slate-400">{m.email}</p>
                </div>
                <select aria-label={t("settings.roleOf", { email: m.email })} className="rounded-md bg-transparent py-1 text-sm ring-1 ring-slate-300 dark:ring-slate-700" value={m.role} onChange={(e) => setMemberRole.mutate({ id: m.id, role: e.target.value })}>
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {t(`workspaces.role.${r}`)}
                    </option>
                  ))}
                </select>
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={t("settings.removeMember", { email: m.email })}
                  onClick={async () => {
                    if (await confirm({ title: t("settings.removeMember", { email: m.email }), danger: true, confirmLabel: t("common.remove") })) removeMember.mutate(m.id);
                  }}
                >
                  <Trash2 className="size-4 text-red-600" aria-hidden />
                </Button>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card>
        <h2 className="mb-3 text-sm font-semibold">{t("settings.invite")}</h2>
        <form noValidate onSubmit={onInvite} className="space-y-3">
          <TextField label={t("auth.email")} type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} />
          <SelectField label={t("settings.role")} value={role} onChange={(e) => setRole(e.target.value)} error={errors.role}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`workspaces.role.${r}`)}
              </option>
            ))}
          </SelectField>
          <Button type="submit" loading={invite.isPending} className="w-full">
            <UserPlus className="size-4" aria-hidden />
            {t("settings.sendInvite")}
          </Button>
        </form>
        <h3 className="mt-6 mb-2 text-sm font-semibold">{t("settings.pending")}</h3>
        {invitations.data?.length ? (
          <ul className="space-y-2 text-sm">
            {invitations.data.map((i) => (
              <li key={i.id} className="flex items-center gap-2">
                <span className="min-w-0 flex-1 truncate">{i.email}</span>
                <Badge>{t(`workspaces.role.${i.role ?? "member"}`)}</Badge>
                <Button variant="ghost" size="sm" aria-label={t("settings.revoke", { email: i.email })} onClick={() => revoke.mutate(i.id)}>
                  <Trash2 className="size-4" aria-hidden />
                </Button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-400">{t("settings.noInvitations")}</p>
        )}
      </Card>
    </div>
  );
}

const PROVIDERS = ["openai", "anthropic", "gemini", "openai_compatible"] as const;

export function AiCredentialsTab() {
  const { t } = useTranslation();
  const toast = useToast();
  const confirm = useConfirm();
  const key = useWsKey();
  const queryClient = useQueryClient();
  const models = useModels();
  const credentials = useQuery({
    queryKey: key("ai_credential"),
    // A short list shown whole: every page of it.
    queryFn: ({ signal }) => fetchAllPages<AICredential>("/api/ai/credentials", { signal, query: { page_size: 100 } }),
  });
  const [form, setForm] = useState({ provider: "openai", label: "", api_key: "", base_url: "" });
  const [errors, setErrors] = useState<FieldErrors<"provider" | "label" | "api_key" | "base_url">>({});
  const [result, setResult] = useState<ConnectionTest | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: key("ai_credential") });
  const create = useMutation({
    mutationFn: () => api.post<AICredential>("/api/ai/credentials", form),
    onSuccess: () => {
      setForm((f) => ({ ...f, api_key: "", label: "" }));
      toast.success(t("common.saved"));
      void refresh();
    },
    onError: (e) => {
      const split = splitApiError(e, ["provider", "label", "api_key", "base_url"] as const);
      setErrors(split.fieldErrors);
      if (split.formError) toast.error(split.formError);
    },
  });
  const remove = useMutation({ mutationFn: (id: number) => api.delete(`/api/ai/credentials/${id}`), onSuccess: refresh, onError: toast.error });
  const test = useMutation({
    mutationFn: (c: AICredential) => {
      const model = (models.data ?? []).find((m) => m.provider === c.provider);
      return api.post<ConnectionTest>("/api/ai/test", { provider: c.provider, model_id: model?.model_id ?? "", credential_id: c.id });
    },
    onSuccess: setResult,
    onError: toast.error,
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const local = {
      api_key: validate.required(form.api_key, t("validation.required")),
      base_url: form.provider === "openai_compatible" ? validate.required(form.base_url, t("validation.required")) : undefined,
    };
    setErrors(local);
    if (!Object.values(local).some(Boolean)) create.mutate();
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
                <Badge tone="indigo">{c.provider}</Badge>
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
          <SelectField label={t("settings.provider")} value={form.provider} onChange={(e) => setForm({ ...form, provider: e.target.value })} error={errors.provider}>
            {PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </SelectField>
          <TextField label={t("settings.label")} value={form.label} onChange={(e) => setForm({ ...form, label: e.target.value })} error={errors.label} />
          <TextField label={t("settings.apiKey")} type="password" autoComplete="off" hint={t("settings.apiKeyHint")} value={form.api_key} onChange={(e) => setForm({ ...form, api_key: e.target.value })} error={errors.api_key} />
          {form.provider === "openai_compatible" && <TextField label={t("settings.baseUrl")} value={form.base_url} onChange={(e) => setForm({ ...form, base_url: e.target.value })} error={errors.base_url} />}
          <Button type="submit" loading={create.isPending} className="w-full">
            {t("common.save")}
          </Button>
        </form>
      </Card>
    </div>
  );
}
