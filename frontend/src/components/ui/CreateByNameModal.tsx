import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { Button } from "./Button";
import { FormAlert, TextField } from "./fields";
import { splitApiError } from "./formErrors";
import { Modal } from "./Modal";

/** What the modal needs of a create mutation (TanStack Query's shape). */
interface CreateMutation<T> {
  mutate: (name: string, options: { onSuccess: (created: T) => void; onError: (error: unknown) => void }) => void;
  isPending: boolean;
}

/** A new thing by its name alone (an agent, a chain); once created, its editor (`pathOf`) opens. */
export function CreateByNameModal<T>({ open, onClose, title, label, formId, create, pathOf }: { open: boolean; onClose: () => void; title: string; label: string; formId: string; create: CreateMutation<T>; pathOf: (created: T) => string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError(t("validation.required"));
    setError(undefined);
    create.mutate(name.trim(), {
      onSuccess: (created) => {
        onClose();
        setName("");
        void navigate(pathOf(created));
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
      title={title}
      size="sm"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" form={formId} loading={create.isPending}>
            {t("common.create")}
          </Button>
        </>
      }
    >
      <form id={formId} noValidate onSubmit={onSubmit} className="space-y-3">
        <FormAlert>{formError}</FormAlert>
        <TextField label={label} value={name} onChange={(e) => setName(e.target.value)} error={error} data-autofocus />
      </form>
    </Modal>
  );
}
