import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { Button } from "../../components/ui/Button";
import { FormAlert, TextField } from "../../components/ui/fields";
import { splitApiError } from "../../components/ui/formErrors";
import { Modal } from "../../components/ui/Modal";
import { chainApi, useChainMutation } from "./api";
import { chainInput, NEW_CHAIN } from "./chainDraft";

/** A new chain by its name, with a first step to edit (a check-in a day later); then its editor opens. */
export function CreateChainModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useChainMutation((n: string) =>
    chainApi.create(chainInput({ ...NEW_CHAIN, name: n, steps: [{ ...NEW_CHAIN.steps[0]!, template: t("chains.starterStep") }] })),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError(t("validation.required"));
    setError(undefined);
    create.mutate(name.trim(), {
      onSuccess: (chain) => {
        onClose();
        setName("");
        void navigate(`/chains/${chain.id}`);
      },
      onError: (e) => {
        const split = splitApiError(e, ["name"] as const);
        setError(split.fieldErrors.name);
        setFormError(split.formError);
      },
    });
  }

  return (
    <Modal
      open={open}
      onClose={onClose}
      title={t("chains.new")}
      size="sm"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" form="create-chain" loading={create.isPending}>
            {t("common.create")}
          </Button>
        </>
      }
    >
      <form id="create-chain" noValidate onSubmit={onSubmit} className="space-y-3">
        <FormAlert>{formError}</FormAlert>
        <TextField label={t("chains.fields.name")} value={name} onChange={(e) => setName(e.target.value)} error={error} data-autofocus />
      </form>
    </Modal>
  );
}
