import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Workspace } from "../../api/types";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/Card";
import { FormAlert, SelectField, TextField } from "../../components/ui/fields";
import { splitApiError, validate, type FieldErrors } from "../../components/ui/formErrors";
import { useToast } from "../../components/ui/toast";
import { useWorkspace } from "../workspaces/workspace";
import { useUpdateWorkspace } from "./api";
import { canEditWorkspace, timeZoneOptions } from "./timeZones";

/** The workspace's name and time zone (working hours and delays are read in it); admins and owners edit them. */
export function WorkspaceTab() {
  const { current } = useWorkspace();
  if (!current) return null;
  return <WorkspaceForm workspace={current} key={`${current.id}-${current.name}-${current.time_zone}`} />;
}

function WorkspaceForm({ workspace }: { workspace: Workspace }) {
  const { t } = useTranslation();
  const toast = useToast();
  const editable = canEditWorkspace(workspace.role);
  const [name, setName] = useState(workspace.name);
  const [timeZone, setTimeZone] = useState(workspace.time_zone);
  const [errors, setErrors] = useState<FieldErrors<"name" | "time_zone">>({});
  const [formError, setFormError] = useState<string | null>(null);
  const update = useUpdateWorkspace(workspace.id);
  const [zones] = useState(() => timeZoneOptions(workspace.time_zone));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local = { name: validate.required(name, t("validation.required")) };
    setErrors(local);
    setFormError(null);
    if (local.name) return;
    update.mutate(
      { name: name.trim(), time_zone: timeZone },
      {
        onSuccess: () => toast.success(t("common.saved")),
        onError: (error) => {
          const split = splitApiError(error, ["name", "time_zone"] as const);
          setErrors(split.fieldErrors);
          setFormError(split.formError);
        },
      },
    );
  }

  return (
    <Card className="max-w-2xl">
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        {!editable && <p className="text-sm text-slate-500 dark:text-slate-400">{t("settings.workspaceAdminsOnly")}</p>}
        <FormAlert>{formError}</FormAlert>
        <TextField label={t("settings.workspaceName")} value={name} onChange={(e) => setName(e.target.value)} error={errors.name} disabled={!editable} maxLength={150} />
        <div>
          <SelectField label={t("settings.timeZone")} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} error={errors.time_zone} disabled={!editable}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll("_", " ")}
              </option>
            ))}
          </SelectField>
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{t("settings.timeZoneHint")}</p>
        </div>
        {editable && (
          <div className="flex justify-end">
            <Button type="submit" loading={update.isPending}>
              {t("common.save")}
            </Button>
          </div>
        )}
      </form>
    </Card>
  );
}
