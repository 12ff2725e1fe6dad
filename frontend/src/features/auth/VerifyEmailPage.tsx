import { CheckCircle2, Loader2 } from "lucide-react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { errorMessage } from "../../api/problem";
import { FormAlert } from "../../components/ui/fields";
import { useVerifyEmail } from "./api";
import { AuthLayout, linkClass } from "./AuthLayout";
import { useSession } from "./session";

/** /verify-email?token=… — reachable signed in or not (the link comes from an email). */
export function VerifyEmailPage() {
  const { t } = useTranslation();
  const { status } = useSession();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const verify = useVerifyEmail(token);
  const started = useRef(false);
  useEffect(() => {
    // Once: a verification token is single-use, a second POST would report it as used.
    if (token && !started.current) {
      started.current = true;
      verify.mutate();
    }
  }, [token, verify]);

  return (
    <AuthLayout
      title={t("auth.verifyTitle")}
      footer={
        <Link to={status === "authenticated" ? "/" : "/login"} className={linkClass}>
          {status === "authenticated" ? t("notFound.home") : t("auth.backToLogin")}
        </Link>
      }
    >
      <div className="space-y-4 text-sm">
        {!token && <FormAlert>{t("auth.verifyNoToken")}</FormAlert>}
        {token && (verify.isPending || verify.isIdle) && (
          <p role="status" className="flex items-center gap-2">
            <Loader2 className="size-4 animate-spin" aria-hidden /> {t("auth.verifying")}
          </p>
        )}
        {verify.isSuccess && (
          <p role="status" className="flex items-center gap-2 text-emerald-700 dark:text-emerald-400">
            <CheckCircle2 className="size-5" aria-hidden /> {t("auth.verified")}
          </p>
        )}
        {verify.isError && <FormAlert>{errorMessage(verify.error)}</FormAlert>}
        {/* A new link is offered where the address is proven: the login page, after the password. */}
        {(verify.isError || !token) && status !== "authenticated" && <p>{t("auth.verifyLoginForLink")}</p>}
      </div>
    </AuthLayout>
  );
}
