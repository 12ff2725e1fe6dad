import { useTranslation } from "react-i18next";
import { SelectField, TextField } from "../../components/ui/fields";
import { useChainOptions } from "./api";

/** A chain: picked from the workspace's chains, or typed as an id while there is no chains list. `nullable`: "every chain" too. */
export function ChainPicker({ value, nullable, onChange, error }: { value: unknown; nullable: boolean; onChange: (id: number | null) => void; error?: string }) {
  const { t } = useTranslation();
  const chains = useChainOptions();
  const label = t("triggers.params.chain_id");
  if (!chains.data) {
    return (
      <TextField
        label={label}
        type="number"
        value={String(value ?? "")}
        error={error}
        hint={nullable ? t("triggers.params.everyChainHint") : undefined}
        onChange={(e) => onChange(e.target.value === "" ? null : Number(e.target.value))}
      />
    );
  }
  return (
    <SelectField label={label} value={String(value ?? "")} error={error} onChange={(e) => onChange(e.target.value === "" ? null : Number(e.target.value))}>
      <option value="" disabled={!nullable}>
        {nullable ? t("triggers.params.everyChain") : t("triggers.params.chooseChain")}
      </option>
      {chains.data.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </SelectField>
  );
}
