import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { KommoReplyRoute, KommoStatus } from "../../api/types";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/Card";
import { cn } from "../../components/ui/cn";
import { FormAlert, TextField } from "../../components/ui/fields";
import { splitApiError, type FieldErrors } from "../../components/ui/formErrors";
import { useToast } from "../../components/ui/toast";
import { useUnsavedChanges } from "../../components/unsaved/UnsavedChanges";
import { useKommoSettings } from "./api";
import { ChatsChannelFields, chatsChannelInput, chatsDraftFrom, type ChatsChannelDraft } from "./ChatsChannel";
import { SalesbotSetup } from "./SalesbotSetup";

const ROUTES: readonly KommoReplyRoute[] = ["salesbot", "chats_api"];

const FIELDS = ["reply_route", "salesbot_bot_id", "chats_channel", "chats_channel.channel_id", "chats_channel.secret", "chats_channel.code"] as const;
type Field = (typeof FIELDS)[number];

/** How replies leave: Salesbot (recommended) or the Chats API, the bot that sends them, and what to set up in Kommo. */
export function RepliesCard({ status, admin }: { status: KommoStatus; admin: boolean }) {
  const { t } = useTranslation();
  const chats = status.chats;
  const saved = `${status.reply_route}:${status.salesbot_bot_id ?? ""}:${chats?.channel_id ?? ""}:${chats?.scope_id ?? ""}`;
  return (
    <Card className="min-w-0 space-y-4">
      <div>
        <h3 className="text-sm font-semibold">{t("integrations.kommo.replies")}</h3>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{t("integrations.kommo.repliesHint")}</p>
      </div>
      {/* Keyed on the saved values: the form starts from what the server holds. */}
      <RepliesForm key={saved} status={status} admin={admin} />
      {admin && status.setup?.widget_request_url && <SalesbotSetup setup={status.setup} privateIntegration={status.auth_kind === "long_lived"} />}
    </Card>
  );
}

function RepliesForm({ status, admin }: { status: KommoStatus; admin: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [route, setRoute] = useState<KommoReplyRoute>(status.reply_route ?? "salesbot");
  const [botId, setBotId] = useState(status.salesbot_bot_id ? String(status.salesbot_bot_id) : "");
  const ids = useId();
  const [channel, setChannel] = useState<ChatsChannelDraft>(() => chatsDraftFrom(status.chats));
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  // Typed here and not saved yet: leaving the page asks first (the form restarts from the server's
  // values after a save, the card being keyed on them).
  const dirty =
    route !== (status.reply_route ?? "salesbot") ||
    botId !== (status.salesbot_bot_id ? String(status.salesbot_bot_id) : "") ||
    JSON.stringify(channel) !== JSON.stringify(chatsDraftFrom(status.chats));
  useUnsavedChanges(admin && dirty);
  const save = useKommoSettings({
    onSuccess: () => toast.success(t("common.saved")),
    onError: (error) => {
      const split = splitApiError(error, FIELDS);
      setErrors(split.fieldErrors);
      setFormError(split.formError);
    },
  });
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const id = botId.trim();
    const number = Number(id);
    setFormError(null);
    if (id && (!Number.isInteger(number) || number < 1)) return setErrors({ salesbot_bot_id: t("integrations.kommo.botIdInvalid") });
    if (route === "chats_api" && channel.own) {
      const required = t("integrations.kommo.chats.required");
      const missing: FieldErrors<Field> = {};
      if (!channel.channelId.trim()) missing["chats_channel.channel_id"] = required;
      if (!channel.code.trim()) missing["chats_channel.code"] = required;
      if (!channel.secret.trim() && !status.chats?.own_channel) missing["chats_channel.secret"] = required;
      if (Object.keys(missing).length > 0) return setErrors(missing);
    }
    setErrors({});
    save.mutate({
      reply_route: route,
      salesbot_bot_id: id ? number : null,
      ...(route === "chats_api" ? { chats_channel: chatsChannelInput(channel) } : {}),
    });
  }
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4">
      <FormAlert>{formError}</FormAlert>
      <fieldset disabled={!admin} className="space-y-2">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t("integrations.kommo.route")}</legend>
        {ROUTES.map((value) => (
          <label
            key={value}
            className={cn(
              "flex cursor-pointer items-start gap-3 rounded-lg p-3 ring-1",
              route === value ? "bg-indigo-50/60 ring-indigo-300 dark:bg-indigo-950/30 dark:ring-indigo-800" : "ring-slate-200 dark:ring-slate-800",
            )}
          >
            <input
              type="radio"
              name="reply_route"
              value={value}
              checked={route === value}
              onChange={() => setRoute(value)}
              aria-labelledby={`${ids}-${value}`}
              aria-describedby={`${ids}-${value}-hint`}
              className="mt-0.5 size-4 text-indigo-600 focus:ring-indigo-600 dark:bg-slate-900"
            />
            <span className="min-w-0">
              <span className="flex flex-wrap items-center gap-2 text-sm font-medium">
                <span id={`${ids}-${value}`}>{t(`integrations.kommo.routes.${value}`)}</span>
                {value === "salesbot" && <Badge tone="indigo">{t("integrations.kommo.recommended")}</Badge>}
              </span>
              <span id={`${ids}-${value}-hint`} className="mt-0.5 block text-sm text-slate-500 dark:text-slate-400">
                {t(`integrations.kommo.routeHints.${value}`)}
              </span>
            </span>
          </label>
        ))}
        {errors.reply_route && <p className="text-sm text-red-600 dark:text-red-400">{errors.reply_route}</p>}
      </fieldset>
      {route === "chats_api" && (
        <ChatsChannelFields
          chats={status.chats}
          draft={channel}
          onChange={setChannel}
          disabled={!admin}
          errors={{
            channelId: errors["chats_channel.channel_id"],
            secret: errors["chats_channel.secret"],
            code: errors["chats_channel.code"],
            channel: errors.chats_channel,
          }}
        />
      )}
      <TextField
        label={t("integrations.kommo.botId")}
        inputMode="numeric"
        placeholder="12345"
        hint={t("integrations.kommo.botIdHint")}
        value={botId}
        onChange={(e) => setBotId(e.target.value)}
        error={errors.salesbot_bot_id}
        disabled={!admin}
      />
      {admin && (
        <div className="flex justify-end">
          <Button type="submit" loading={save.isPending}>
            {t("common.save")}
          </Button>
        </div>
      )}
    </form>
  );
}
