import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Agent, UpdateRuleInput } from "../../../api/types";
import { Button } from "../../../components/ui/Button";
import { FormAlert, SelectField, TextAreaField, TextField } from "../../../components/ui/fields";
import { splitApiError } from "../../../components/ui/formErrors";
import { Modal } from "../../../components/ui/Modal";
import { useSaveUpdateRule } from "../api";
import { FIELD_TYPES } from "./fieldTypes";

type RuleField = "name" | "instruction" | "field_id" | "field_code" | "field_type" | "enum_options" | "entity" | "overwrite";

/** Create or edit an update rule. */
export function RuleModal({ agent, editing, onClose }: { agent: Agent; editing: { id: number | null; rule: UpdateRuleInput }; onClose: () => void }) {
  const { t } = useTranslation();
  const [rule, setRule] = useState(editing.rule);
  const [options, setOptions] = useState((rule.enum_options ?? []).map((o) => String((o as { value?: unknown }).value ?? "")).join(", "));
  const [errors, setErrors] = useState<Partial<Record<RuleField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const save = useSaveUpdateRule(agent.id, editing.id);
  const set = (patch: Partial<UpdateRuleInput>) => setRule((r) => ({ ...r, ...patch }));
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const choice = ["select", "multiselect", "radiobutton"].includes(rule.field_type ?? "text");
    const enumOptions = options.split(",").map((s) => s.trim()).filter(Boolean).map((value) => ({ value }));
    const local: Partial<Record<RuleField, string>> = {};
    if (!rule.name.trim()) local.name = t("validation.required");
    if (!rule.instruction.trim()) local.instruction = t("validation.required");
    if (!rule.field_id && !rule.field_code?.trim()) local.field_code = t("agentEditor.fieldIdOrCode");
    if (choice && enumOptions.length === 0) local.enum_options = t("agentEditor.enumNeeded");
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length) return;
    save.mutate(
      { ...rule, enum_options: choice ? enumOptions : [] },
      {
        onSuccess: onClose,
        onError: (e) => {
          const split = splitApiError(e, ["name", "instruction", "field_id", "field_code", "field_type", "enum_options", "entity", "overwrite"] as const);
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
        <SelectField label={t("agentEditor.overwrite")} value={rule.overwrite ?? "always"} onChange={(e) => set({ overwrite: e.target.value as UpdateRuleInput["overwrite"] })}>
          <option value="always">{t("agentEditor.overwriteAlways")}</option>
          <option value="if_empty">{t("agentEditor.overwriteIfEmpty")}</option>
        </SelectField>
        <TextField className="sm:col-span-2" label={t("agentEditor.enumOptions")} hint={t("agentEditor.commaSeparated")} value={options} onChange={(e) => setOptions(e.target.value)} error={errors.enum_options} />
      </form>
    </Modal>
  );
}
