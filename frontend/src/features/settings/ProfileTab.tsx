import { useMemo, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Profile } from "../../api/types";
import { Button } from "../../components/ui/Button";
import { DirtyBar } from "../../components/unsaved/DirtyBar";
import { useUnsavedChanges } from "../../components/unsaved/UnsavedChanges";
import { useDraft } from "../../components/unsaved/useDraft";
import { cn } from "../../components/ui/cn";
import { FormAlert, SelectField, TextField } from "../../components/ui/fields";
import { splitApiError, validate, type FieldErrors } from "../../components/ui/formErrors";
import { ErrorState, Skeleton } from "../../components/ui/states";
import { useTheme, type ThemePreference } from "../../components/ui/theme";
import { useToast } from "../../components/ui/toast";
import { LANGUAGES } from "../../i18n";
import { useProfile, useUpdateProfile, useUploadAvatar } from "./api";

/** The profile (avatar, name, UI language) beside the appearance (theme). */
export function ProfileTab() {
  const { t } = useTranslation();
  const profile = useProfile();
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <section className="rounded-xl bg-white p-6 shadow-xs ring-1 ring-slate-200 lg:col-span-2 dark:bg-slate-900 dark:ring-slate-800">
        {profile.isPending ? (
          <div className="space-y-4" role="status" aria-label={t("common.loading")}>
            <Skeleton className="h-10" />
            <Skeleton className="h-10" />
            <Skeleton className="h-10 w-1/2" />
          </div>
        ) : profile.isError ? (
          <ErrorState error={profile.error} onRetry={() => void profile.refetch()} />
        ) : (
          <ProfileForm profile={profile.data} />
        )}
      </section>
      <AppearanceCard />
    </div>
  );
}

/** Name and UI language: a draft of the saved profile, saved together; leaving with changes asks first. */
function ProfileForm({ profile }: { profile: Profile }) {
  const { t } = useTranslation();
  const toast = useToast();
  const update = useUpdateProfile();
  const saved = useMemo(() => ({ name: profile.name, language: profile.language ?? "en" }), [profile.name, profile.language]);
  const draft = useDraft(saved, { keep: "profile" });
  const confirmDiscard = useUnsavedChanges(draft.dirty);
  const { name, language } = draft.value;
  const [errors, setErrors] = useState<FieldErrors<"name" | "language">>({});
  const [formError, setFormError] = useState<string | null>(null);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local = { name: validate.required(name, t("auth.errors.nameRequired")) };
    setErrors(local);
    setFormError(null);
    if (local.name) return;
    update.mutate(
      { name: name.trim(), language },
      {
        onSuccess: () => {
          draft.reset(); // the saved profile is in the cache already
          toast.success(t("common.saved"));
        },
        onError: (error) => {
          const split = splitApiError(error, ["name", "language"] as const);
          setErrors(split.fieldErrors);
          setFormError(split.formError);
        },
      },
    );
  }

  async function onDiscard() {
    if (!(await confirmDiscard())) return;
    draft.reset();
    setErrors({});
    setFormError(null);
  }

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4">
      <AvatarCard profile={profile} />
      <FormAlert>{formError}</FormAlert>
      <TextField label={t("auth.email")} value={profile.email} disabled readOnly />
      <TextField label={t("auth.name")} name="name" value={name} onChange={(e) => draft.set("name", e.target.value)} error={errors.name} />
      <SelectField label={t("settings.language")} value={language} onChange={(e) => draft.set("language", e.target.value)} error={errors.language}>
        {LANGUAGES.map((lng) => (
          <option key={lng} value={lng}>
            {lng === "en" ? "English" : "Русский"}
          </option>
        ))}
      </SelectField>
      <DirtyBar inline dirty={draft.dirty} saving={update.isPending} onDiscard={() => void onDiscard()} />
    </form>
  );
}

function AvatarCard({ profile }: { profile: Profile & { avatar_url?: string | null } }) {
  const { t } = useTranslation();
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const upload = useUploadAvatar({ onSuccess: () => toast.success(t("common.saved")), onError: toast.error });
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

function AppearanceCard() {
  const { t } = useTranslation();
  const { preference, setPreference } = useTheme();
  const options: Array<[ThemePreference, string]> = [
    ["system", t("settings.themeSystem")],
    ["light", t("settings.themeLight")],
    ["dark", t("settings.themeDark")],
  ];
  return (
    <section className="rounded-xl bg-white p-6 shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <h2 className="text-sm font-semibold">{t("settings.appearance")}</h2>
      <div className="mt-4 grid grid-cols-3 gap-2">
        {options.map(([value, label]) => (
          <button
            key={value}
            type="button"
            aria-pressed={preference === value}
            onClick={() => setPreference(value)}
            className={cn(
              "rounded-md px-2 py-2 text-sm ring-1",
              preference === value
                ? "bg-indigo-50 font-medium text-indigo-700 ring-indigo-300 dark:bg-indigo-950 dark:text-indigo-300 dark:ring-indigo-700"
                : "ring-slate-200 hover:bg-slate-50 dark:ring-slate-700 dark:hover:bg-slate-800",
            )}
          >
            {label}
          </button>
        ))}
      </div>
    </section>
  );
}
