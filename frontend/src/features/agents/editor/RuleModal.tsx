import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Agent, UpdateRuleInput } from "../../../api/types";
import { Button } from "../../../components/ui/Button";
import { FormAlert, SelectField, TextAreaField, TextField } from "../../../components/ui/fields";
import { splitApiError } from "../../../components/ui/formErrors";
import { Modal } from "../../../components/ui/Modal";
import { Skeleton } from "../../../components/ui/states";
import { CHOICE_TYPES } from "../../integrations/kommo";
import { useSaveUpdateRule } from "../api";
import { FIELD_TYPES } from "./fieldTypes";
import { KommoNotice } from "./KommoNotice";
import { RuleTargetPicker } from "./RuleTargetPicker";
import { useFieldCatalog } from "./useKommoCatalog";

type RuleField = "name" | "instruction" | "field_id" | "field_code" | "field_type" | "enum_options" | "entity" | "overwrite";
const RULE_FIELDS: readonly RuleField[] = ["name", "instruction", "field_id", "field_code", "field_type", "enum_options", "entity", "overwrite"];

const optionsText = (options: UpdateRuleInput["enum_options"]) => (options ?? []).map((o) => String((o as { value?: unknown }).value ?? "")).join(", ");

/**
 * Create or edit an update rule. Its target field is picked from Kommo's synced fields (type and choice
 * options come with it); without Kommo, the field's code, type and options are typed in as before.
 */
export function RuleModal({ agent, editing, onClose }: { agent: Agent; editing: { id: number | null; rule: UpdateRuleInput }; onClose: () => void }) {
  const { t } = useTranslation();
  const catalog = useFieldCatalog();
  const [rule, setRule] = useState(editing.rule);
  const savedOptions = optionsText(editing.rule.enum_options);
  const [options, setOptions] = useState(savedOptions);
  const [errors, setErrors] = useState<Partial<Record<RuleField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const save = useSaveUpdateRule(agent.id, editing.id);
  const set = (patch: Partial<UpdateRuleInput>) => setRule((r) => ({ ...r, ...patch }));
  const picking = catalog.state === "ready";
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const choice = CHOICE_TYPES.has(rule.field_type ?? "text");
    // Options typed in; left as they were, the saved ones are kept whole (with their Kommo ids).
    const typed = options === savedOptions ? (editing.rule.enum_options ?? []) : options.split(",").map((s) => s.trim()).filter(Boolean).map((value) => ({ value }));
    const enumOptions = picking ? (rule.enum_options ?? []) : typed;
    const local: Partial<Record<RuleField, string>> = {};
    if (!rule.name.trim()) local.name = t("validation.required");
    if (!rule.instruction.trim()) local.instruction = t("validation.required");
    if (!rule.field_id && !rule.field_code?.trim()) local.field_code = picking ? t("agentEditor.kommo.pickField") : t("agentEditor.fieldIdOrCode");
    if (choice && enumOptions.length === 0) local.enum_options = t("agentEditor.enumNeeded");
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length) return;
    save.mutate(
      { ...rule, enum_options: choice ? enumOptions : [] },
      {
        onSuccess: onClose,
        onError: (e) => {
          const split = splitApiError(e, RULE_FIELDS);
          setErrors(split.fieldErrors);
          setFormError(split.formError);
        },
      },
    );
  }
  return (
    <Modal
      open
      onClose={onClose}
      title={editing.id === null ? t("agentEditor.addRule") : t("agentEditor.editRule")}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" form="rule-form" loading={save.isPending}>
            {t("common.save")}
          </Button>
        </>
      }
    >
      <form id="rule-form" noValidate onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <FormAlert>{formError}</FormAlert>
        </div>
        <TextField className="sm:col-span-2" label={t("agentEditor.ruleName")} value={rule.name} onChange={(e) => set({ name: e.target.value })} error={errors.name} />
        <TextAreaField className="sm:col-span-2" label={t("agentEditor.ruleInstruction")} rows={3} value={rule.instruction} onChange={(e) => set({ instruction: e.target.value })} error={errors.instruction} />
        {catalog.state === "loading" ? (
          <Skeleton className="h-16 sm:col-span-2" />
        ) : catalog.state === "ready" ? (
          <RuleTargetPicker rule={rule} fields={catalog.fields} error={errors.field_code ?? errors.field_id} enumError={errors.enum_options} onChange={set} />
        ) : (
          <>
            <div className="sm:col-span-2">
              <KommoNotice state={catalog.state} />
            </div>
            <SelectField label={t("agentEditor.entity")} value={rule.entity ?? "lead"} onChange={(e) => set({ entity: e.target.value as UpdateRuleInput["entity"] })}>
              <option value="lead">{t("agentEditor.lead")}</option>
              <option value="contact">{t("agentEditor.contact")}</option>
            </SelectField>
            <TextField label={t("agentEditor.fieldCode")} value={rule.field_code ?? ""} onChange={(e) => set({ field_code: e.target.value })} error={errors.field_code ?? errors.field_id} />
            <SelectField label={t("agentEditor.fieldType")} value={rule.field_type ?? "text"} onChange={(e) => set({ field_type: e.target.value })}>
              {FIELD_TYPES.map((ft) => (
                <option key={ft}>{ft}</option>
              ))}
            </SelectField>
          </>
        )}
        <SelectField label={t("agentEditor.overwrite")} value={rule.overwrite ?? "always"} onChange={(e) => set({ overwrite: e.target.value as UpdateRuleInput["overwrite"] })}>
          <option value="always">{t("agentEditor.overwriteAlways")}</option>
          <option value="if_empty">{t("agentEditor.overwriteIfEmpty")}</option>
        </SelectField>
        {!picking && catalog.state !== "loading" && (
          <TextField className="sm:col-span-2" label={t("agentEditor.enumOptions")} hint={t("agentEditor.commaSeparated")} value={options} onChange={(e) => setOptions(e.target.value)} error={errors.enum_options} />
        )}
      </form>
    </Modal>
  );
}
