import { Trash2, UserPlus } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/Card";
import { useConfirm } from "../../components/ui/confirm";
import { SelectField, TextField } from "../../components/ui/fields";
import { splitApiError, validate, type FieldErrors } from "../../components/ui/formErrors";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import { useInvitations, useInvite, useMembers, useRemoveMember, useRevokeInvitation, useSetMemberRole } from "./api";

/** The workspace's members (role, remove) and invitations (send, revoke). */
export function TeamTab() {
  const { t } = useTranslation();
  const toast = useToast();
  const confirm = useConfirm();
  const members = useMembers();
  const invitations = useInvitations();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("member");
  const [errors, setErrors] = useState<FieldErrors<"email" | "role">>({});
  const invite = useInvite({
    onSuccess: () => {
      setEmail("");
      toast.success(t("settings.invited"));
    },
    onError: (e) => {
      const split = splitApiError(e, ["email", "role"] as const);
      setErrors(split.fieldErrors);
      if (split.formError) toast.error(split.formError);
    },
  });
  const setMemberRole = useSetMemberRole({ onError: toast.error });
  const removeMember = useRemoveMember({ onError: toast.error });
  const revoke = useRevokeInvitation({ onError: toast.error });
  function onInvite(e: FormEvent) {
    e.preventDefault();
    const local = { email: validate.email(email, { required: t("auth.errors.emailRequired"), invalid: t("auth.errors.emailInvalid") }) };
    setErrors(local);
    if (!local.email) invite.mutate({ email: email.trim(), role });
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
