/**
 * API types. Those of endpoints that exist come from the generated OpenAPI types (schema.d.ts,
 * `npm run schema`); those of endpoints being built are written here from the agreed contract and
 * move to the generated types once the endpoint lands.
 */
import type { components } from "./schema";

type Schemas = components["schemas"];

export type Workspace = Schemas["WorkspaceMembershipOutput"];
export type Role = "owner" | "admin" | "member" | (string & {});

// Pending: accounts' /api/user/profile (GET/PATCH). Fields the SPA uses; extra fields are ignored.
export interface Profile {
  id: number;
  email: string;
  name: string;
  avatar_url?: string | null;
  time_zone?: string;
  language?: string;
  email_verified?: boolean;
}

export interface RealtimeEvent<P = Record<string, unknown>> {
  type: string;
  payload: P;
}

// --- generated shapes used by the pages -----------------------------------------------------------
export type Paginated<T> = { count: number; next: string | null; previous: string | null; results: T[] };
export type Agent = Schemas["AgentOutput"];
export type AgentInput = Schemas["AgentInputRequest"];
export type AgentUpdateInput = Schemas["PatchedAgentUpdateInputRequest"];
export type AgentChannel = Schemas["AgentChannelEnum"];
export type ChannelStatus = Schemas["ChannelStatusItem"];
export type UpdateRule = Schemas["UpdateRuleOutput"];
export type UpdateRuleInput = Schemas["UpdateRuleInputRequest"];
export type AgentVersion = Schemas["VersionOutput"];
export type VersionDiff = Schemas["VersionDiffOutput"];
export type PipelineItem = Schemas["PipelineItem"];
export type CrmField = Schemas["CrmFieldItem"];
export type AIModel = Schemas["AIModelOutput"];
export type AICredential = Schemas["AICredential"];
export type ConnectionTest = Schemas["ConnectionTestOutput"];
export type CategoryNode = Omit<Schemas["CategoryTreeOutput"], "children"> & { children: CategoryNode[] };
export type ArticleListItem = Schemas["ArticleListOutput"];
export type Article = Schemas["ArticleOutput"];
export type ArticleFile = Schemas["ArticleFileOutput"];
export type IndexState = Schemas["IndexStateOutput"];
export type SearchHit = Schemas["SearchHitOutput"];
export type Conversation = Schemas["ConversationOutput"];
export type ConversationDetail = Omit<Schemas["ConversationDetailOutput"], "messages"> & { messages: Message[] };
export type Message = Omit<Schemas["MessageOutput"], "trace" | "metadata"> & { trace: TraceStep[] | null; metadata?: MessageMetadata };
/** Whether an agent's chosen model answers in this workspace, or which model answers instead. */
export type ModelStatus = Schemas["ModelStatusOutput"];
export type ModelRef = Schemas["ModelRefOutput"];
/** `metadata` of a message (conversations/api/serializers.py): an AI reply's model — and the agent's
 * model it stood in for, and why —, a playground message's test switches. */
export interface MessageMetadata {
  model?: ModelRef & { substituted_for?: ModelRef; reason?: "no_credentials" | "fallback" | (string & {}) };
  test?: PlaygroundSwitches;
}
export interface PlaygroundSwitches {
  ignore_working_hours: boolean;
  skip_approval: boolean;
}
export type PlaygroundResult = Omit<Schemas["PlaygroundOutput"], "message" | "reply"> & {
  message: Message;
  reply: Message | null;
};
export type Member = Schemas["MemberOutput"];
export type Invitation = Schemas["InvitationOutput"];
export type UserSettings = Schemas["SettingsOutput"];
export type ApiChannelSettings = Schemas["ApiChannelOutput"];
export type ConversationSummary = Schemas["ConversationSummaryOutput"];
export type ApiKey = Schemas["ApiKeyOutput"];
export type ApiKeyIssued = Schemas["ApiKeyIssuedOutput"];
export type ApiKeyScope = Schemas["ApiKeyScopeEnum"];

// --- Kommo (integrations/api/serializers/kommo.py) ------------------------------------------------
/** The counts a sync leaves (`sync.result`): what it found in Kommo. */
export type KommoSyncResult = Partial<Record<"pipelines" | "stages" | "leads_fields" | "contacts_fields" | "companies_fields" | "users", number>>;
export type KommoSync = Omit<Schemas["SyncOutput"], "result"> & { result: KommoSyncResult };
/** The URLs an admin pastes into Kommo (`setup`: admins only, and only while connected). */
export interface KommoSetup {
  webhook_url?: string;
  widget_request_url?: string;
  redirect_uri?: string;
  revoke_hook_url?: string;
  chats_hook_url?: string;
  oauth_available?: boolean;
}
export type KommoStatus = Omit<Schemas["KommoStatusOutput"], "sync" | "setup"> & { sync?: KommoSync; setup?: KommoSetup };
export type KommoStatusValue = Schemas["KommoStatusOutputStatusEnum"];
export type KommoReplyRoute = Schemas["ReplyRouteEnum"];
export type KommoWebhookHealth = Schemas["WebhookHealthOutput"];
/** The Chats API channel (`chats`): the workspace's own or the platform's, and whether it is connected. */
export type KommoChats = Schemas["ChatsStatusOutput"];
export type KommoConnectInput = Schemas["ConnectInputRequest"];
export type KommoAuthorize = { authorize_url: string; state: string };
export type KommoPipeline = Schemas["PipelineOutput"];
export type KommoStage = Schemas["StatusOutput"];
export type KommoField = Schemas["FieldOutput"];
export type KommoUser = Schemas["KommoUserOutput"];
/** What the OAuth callback page posts to its opener (integrations/api/views/kommo_entry.py). */
export interface KommoOAuthMessage {
  type: "kommo.oauth";
  ok: boolean;
  code?: string;
  detail?: string;
}

/** A passage in a trace: where it comes from (`citation`: the file's name for a file's passage). */
export interface TracePassage {
  chunk_id?: number;
  article_id?: number;
  file_id?: number | null;
  citation?: string;
  relevance?: string;
}

/** One step of an AI reply's processing trace (conversations/services/processing.py): the
 * "knowledge" step lists the passages retrieved, the "generate" step those the reply cited. */
export interface TraceStep {
  step: string;
  ms: number;
  chunks?: TracePassage[];
  citations?: TracePassage[];
  [key: string]: unknown;
}

// --- chains (SPEC §4.3) ---------------------------------------------------------------------------
export type Chain = Schemas["ChainOutput"];
export type ChainInput = Schemas["ChainInputRequest"];
export type ChainStepInput = Schemas["ChainStepInputRequest"];
export type ChainStepKind = Schemas["ChainStepKindEnum"];
export type ChainStartOn = Schemas["ChainStartOnEnum"];
export type ChainStopOn = Schemas["ChainStopOnEnum"];
export type ChainRun = Schemas["ChainRunOutput"];
export type ChainRunStatus = Schemas["ChainRunStatusEnum"];
export type TimelineStep = Schemas["TimelineStepOutput"];
export type ActionKind = Schemas["ActionKindEnum"];
