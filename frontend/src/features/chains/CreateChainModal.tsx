import { useTranslation } from "react-i18next";
import { CreateByNameModal } from "../../components/ui/CreateByNameModal";
import { chainApi, useChainMutation } from "./api";
import { chainInput, NEW_CHAIN } from "./chainDraft";

/** A new chain by its name, with a first step to edit (a check-in a day later); then its editor opens. */
export function CreateChainModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useChainMutation((n: string) =>
    chainApi.create(chainInput({ ...NEW_CHAIN, name: n, steps: [{ ...NEW_CHAIN.steps[0]!, template: t("chains.starterStep") }] })),
  );
  return <CreateByNameModal open={open} onClose={onClose} title={t("chains.new")} label={t("chains.fields.name")} formId="create-chain" create={create} pathOf={(chain) => `/chains/${chain.id}`} />;
}
