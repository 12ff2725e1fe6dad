import { createBrowserRouter, Route, Routes, type RouteObject } from "react-router";
import { AgentEditorPage } from "./features/agents/AgentEditorPage";
import { AgentsPage } from "./features/agents/AgentsPage";
import { ConversationsPage } from "./features/conversations/ConversationsPage";
import { KnowledgePage } from "./features/knowledge/KnowledgePage";
import { PlaygroundPage } from "./features/playground/PlaygroundPage";
import { ForgotPasswordPage } from "./features/auth/ForgotPasswordPage";
import { GUEST_PATHS, GuestOnly, RequireAuth } from "./features/auth/guards";
import { LoginPage } from "./features/auth/LoginPage";
import { RegisterPage } from "./features/auth/RegisterPage";
import { ResetPasswordPage } from "./features/auth/ResetPasswordPage";
import { VerifyEmailPage } from "./features/auth/VerifyEmailPage";
import { DashboardPage } from "./features/dashboard/DashboardPage";
import { SettingsPage } from "./features/settings/SettingsPage";
import { AppShell } from "./features/shell/AppShell";
import { NAV } from "./features/shell/nav";
import { ComingSoonPage, NotFoundPage } from "./features/shell/pages";

/** Sections with a page; every other sidebar entry shows "coming soon" until its issue lands. */
const BUILT: Record<string, RouteObject["element"]> = {
  dashboard: <DashboardPage />,
  agents: (
    <Routes>
      <Route index element={<AgentsPage />} />
      <Route path=":id" element={<AgentEditorPage />} />
    </Routes>
  ),
  knowledge: <KnowledgePage />,
  conversations: <ConversationsPage />,
  playground: <PlaygroundPage />,
  settings: <SettingsPage />,
};

const GUEST_PAGES: Record<string, RouteObject["element"]> = {
  "/login": <LoginPage />,
  "/register": <RegisterPage />,
  "/forgot-password": <ForgotPasswordPage />,
  "/reset-password": <ResetPasswordPage />,
};

export const routes: RouteObject[] = [
  {
    element: <GuestOnly />,
    children: GUEST_PATHS.map((path) => ({ path, element: GUEST_PAGES[path] })),
  },
  { path: "/verify-email", element: <VerifyEmailPage /> },
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
