import { lazy, Suspense, type ComponentType, type ReactNode } from "react";
import { createBrowserRouter, Route, Routes, type RouteObject } from "react-router";
import { PageSkeleton } from "./components/ui/states";
import { FullPageSpinner, GUEST_PATHS, GuestOnly, RequireAuth } from "./features/auth/guards";
import { AppShell } from "./features/shell/AppShell";
import { NAV } from "./features/shell/nav";
import { ComingSoonPage, NotFoundPage } from "./features/shell/placeholderPages";

/** A page in a chunk of its own, loaded the first time it is shown. */
function lazyPage<Name extends string>(load: () => Promise<Record<Name, ComponentType>>, name: Name) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}

const LoginPage = lazyPage(() => import("./features/auth/LoginPage"), "LoginPage");
const RegisterPage = lazyPage(() => import("./features/auth/RegisterPage"), "RegisterPage");
const ForgotPasswordPage = lazyPage(() => import("./features/auth/ForgotPasswordPage"), "ForgotPasswordPage");
const ResetPasswordPage = lazyPage(() => import("./features/auth/ResetPasswordPage"), "ResetPasswordPage");
const VerifyEmailPage = lazyPage(() => import("./features/auth/VerifyEmailPage"), "VerifyEmailPage");
const DashboardPage = lazyPage(() => import("./features/dashboard/DashboardPage"), "DashboardPage");
const AgentsPage = lazyPage(() => import("./features/agents/AgentsPage"), "AgentsPage");
const AgentEditorPage = lazyPage(() => import("./features/agents/AgentEditorPage"), "AgentEditorPage");
const KnowledgePage = lazyPage(() => import("./features/knowledge/KnowledgePage"), "KnowledgePage");
const ChainsPage = lazyPage(() => import("./features/chains/ChainsPage"), "ChainsPage");
const ChainEditorPage = lazyPage(() => import("./features/chains/ChainEditorPage"), "ChainEditorPage");
const ConversationsPage = lazyPage(() => import("./features/conversations/ConversationsPage"), "ConversationsPage");
const PlaygroundPage = lazyPage(() => import("./features/playground/PlaygroundPage"), "PlaygroundPage");
const IntegrationsPage = lazyPage(() => import("./features/integrations/IntegrationsPage"), "IntegrationsPage");
const TriggersPage = lazyPage(() => import("./features/triggers/TriggersPage"), "TriggersPage");
const TriggerEditorPage = lazyPage(() => import("./features/triggers/TriggerEditorPage"), "TriggerEditorPage");
const StatisticsPage = lazyPage(() => import("./features/statistics/StatisticsPage"), "StatisticsPage");
const BillingPage = lazyPage(() => import("./features/billing/BillingPage"), "BillingPage");
const SettingsPage = lazyPage(() => import("./features/settings/SettingsPage"), "SettingsPage");

/** A page of the app (inside the shell): the page skeleton while its chunk loads. */
const appPage = (page: ReactNode) => <Suspense fallback={<PageSkeleton />}>{page}</Suspense>;
/** A page outside the shell (login…): the full-page spinner while its chunk loads. */
const guestPage = (page: ReactNode) => <Suspense fallback={<FullPageSpinner />}>{page}</Suspense>;

/** Sections with a page; every other sidebar entry shows "coming soon" until its issue lands. */
const BUILT: Record<string, RouteObject["element"]> = {
  dashboard: appPage(<DashboardPage />),
  agents: (
    <Routes>
      <Route index element={appPage(<AgentsPage />)} />
      <Route path=":id" element={appPage(<AgentEditorPage />)} />
    </Routes>
  ),
  knowledge: appPage(<KnowledgePage />),
  chains: (
    <Routes>
      <Route index element={appPage(<ChainsPage />)} />
      <Route path=":id" element={appPage(<ChainEditorPage />)} />
    </Routes>
  ),
  conversations: appPage(<ConversationsPage />),
  playground: appPage(<PlaygroundPage />),
  triggers: (
    <Routes>
      <Route index element={appPage(<TriggersPage />)} />
      <Route path=":id" element={appPage(<TriggerEditorPage />)} />
    </Routes>
  ),
  integrations: appPage(<IntegrationsPage />),
  settings: appPage(<SettingsPage />),
  billing: appPage(<BillingPage />),
  statistics: appPage(<StatisticsPage />),
};

const GUEST_PAGES: Record<string, RouteObject["element"]> = {
  "/login": guestPage(<LoginPage />),
  "/register": guestPage(<RegisterPage />),
  "/forgot-password": guestPage(<ForgotPasswordPage />),
  "/reset-password": guestPage(<ResetPasswordPage />),
};

export const routes: RouteObject[] = [
  {
    element: <GuestOnly />,
    children: GUEST_PATHS.map((path) => ({ path, element: GUEST_PAGES[path] })),
  },
  { path: "/verify-email", element: guestPage(<VerifyEmailPage />) },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppShell />,
        children: [
          ...NAV.map((item) =>
            item.path === "/"
              ? { index: true, element: BUILT.dashboard }
              : { path: `${item.path}/*`, element: BUILT[item.key] ?? <ComingSoonPage section={item.key} /> },
          ),
          { path: "*", element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);
