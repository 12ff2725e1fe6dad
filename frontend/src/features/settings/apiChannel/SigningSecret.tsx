import { RefreshCw } from "lucide-react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../../components/ui/Button";
import { cn } from "../../../components/ui/cn";
import { useConfirm } from "../../../components/ui/confirm";
import { inputClass } from "../../../components/ui/fields";
import { useToast } from "../../../components/ui/toast";
import { useRotateSecret } from "../api";
import { ShownOnce } from "./ShownOnce";

/** The webhook's signing secret, masked; rotating it shows the new one once. */
export function SigningSecret({ masked }: { masked: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const confirm = useConfirm();
  const rotate = useRotateSecret();
  const id = useId();
  async function onRotate() {
    const ok = await confirm({
      title: t("settings.apiChannel.rotateConfirmTitle"),
      message: t("settings.apiChannel.rotateConfirm"),
      confirmLabel: t("settings.apiChannel.rotate"),
      danger: true,
    });
    if (ok) rotate.mutate(undefined, { onError: toast.error });
  }
  return (
    <div className="mt-6 border-t border-slate-100 pt-4 dark:border-slate-800">
      {rotate.data ? (
        <ShownOnce label={t("settings.apiChannel.newSecret")} value={rotate.data.signing_secret} onDone={() => rotate.reset()} />
      ) : (
        <>
          <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
            {t("settings.apiChannel.signingSecret")}
          </label>
          <div className="mt-1 flex flex-col gap-2 sm:flex-row">
            <input
              id={id}
              readOnly
              value={masked || t("settings.apiChannel.noSecret")}
              aria-describedby={`${id}-hint`}
              className={cn(inputClass, "min-w-0 flex-1 bg-slate-50 text-slate-500 dark:bg-slate-800/60 dark:text-slate-400", masked && "font-mono")}
            />
            <Button variant="secondary" loading={rotate.isPending} onClick={() => void onRotate()}>
              <RefreshCw className="size-4" aria-hidden />
              {t("settings.apiChannel.rotate")}
            </Button>
          </div>
          <p id={`${id}-hint`} className="mt-1 text-sm text-slate-500 dark:text-slate-400">
            {t("settings.apiChannel.signingSecretHint")}
          </p>
        </>
      )}
    </div>
  );
}
