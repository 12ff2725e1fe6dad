import { useTranslation } from "react-i18next";
import type { KommoChats } from "../../api/types";
import { Badge } from "../../components/ui/Badge";
import { CheckboxField, TextField } from "../../components/ui/fields";
import { CopyField } from "./CopyField";

/** The channel fields of the form: the workspace's own channel (or the platform's), as typed. */
export interface ChatsChannelDraft {
  own: boolean;
  channelId: string;
  secret: string;
  code: string;
}

export function chatsDraftFrom(chats: KommoChats | undefined): ChatsChannelDraft {
  const own = Boolean(chats?.own_channel || (chats && !chats.available));
  return { own, channelId: chats?.own_channel ? chats.channel_id : "", secret: "", code: chats?.own_channel ? chats.channel_code : "" };
}

/** What the settings call sends: the own channel's registration, or an empty id for the platform's. */
export function chatsChannelInput(draft: ChatsChannelDraft) {
  if (!draft.own) return { channel_id: "" };
  return { channel_id: draft.channelId.trim(), code: draft.code.trim(), ...(draft.secret.trim() ? { secret: draft.secret.trim() } : {}) };
}

/** The Chats API channel: whether it is connected to the account, whose it is, and the hook URL Kommo's support registers. */
export function ChatsChannelFields({
  chats,
  draft,
  onChange,
  errors,
  disabled,
}: {
  chats: KommoChats | undefined;
  draft: ChatsChannelDraft;
  onChange: (draft: ChatsChannelDraft) => void;
  errors: Partial<Record<"channelId" | "secret" | "code" | "channel", string>>;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const storedSecret = Boolean(chats?.own_channel);
  return (
    <div className="space-y-4 rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800" data-testid="chats-channel">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h4 className="text-sm font-semibold">{t("integrations.kommo.chats.title")}</h4>
        {chats?.connected ? (
          <Badge tone="green">{t("integrations.kommo.chats.connected")}</Badge>
        ) : (
          <Badge>{t("integrations.kommo.chats.notConnected")}</Badge>
        )}
      </div>
      {chats?.connected && (
        <p className="text-sm break-all text-slate-500 dark:text-slate-400">
          {t("integrations.kommo.chats.scope")}: <code>{chats.scope_id}</code>
        </p>
      )}
      {!chats?.available && !draft.own && (
        <p className="text-sm text-amber-700 dark:text-amber-400">{t("integrations.kommo.chats.platformMissing")}</p>
      )}
      <fieldset disabled={disabled} className="space-y-4">
        <CheckboxField
          label={t("integrations.kommo.chats.ownChannel")}
          hint={t("integrations.kommo.chats.ownChannelHint")}
          checked={draft.own}
          onChange={(own) => onChange({ ...draft, own })}
        />
        {draft.own && (
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label={t("integrations.kommo.chats.channelId")}
              value={draft.channelId}
              onChange={(e) => onChange({ ...draft, channelId: e.target.value })}
              error={errors.channelId}
              autoComplete="off"
            />
            <TextField
              label={t("integrations.kommo.chats.secret")}
              type="password"
              value={draft.secret}
              placeholder={storedSecret ? "••••••••" : ""}
              hint={storedSecret ? t("integrations.kommo.chats.secretKeep") : undefined}
              onChange={(e) => onChange({ ...draft, secret: e.target.value })}
              error={errors.secret}
              autoComplete="new-password"
            />
            <TextField
              className="sm:col-span-2"
              label={t("integrations.kommo.chats.code")}
              hint={t("integrations.kommo.chats.codeHint")}
              value={draft.code}
              onChange={(e) => onChange({ ...draft, code: e.target.value })}
              error={errors.code}
              autoComplete="off"
            />
          </div>
        )}
      </fieldset>
      {errors.channel && <p className="text-sm text-red-600 dark:text-red-400">{errors.channel}</p>}
      {chats?.hook_url && (
        <CopyField label={t("integrations.kommo.chats.hookUrl")} hint={t("integrations.kommo.chats.hookUrlHint")} value={chats.hook_url} />
      )}
    </div>
  );
}
