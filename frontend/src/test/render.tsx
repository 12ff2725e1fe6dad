import type { QueryClient } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { createQueryClient } from "../api/queryClient";
import type { Workspace } from "../api/types";
import { AppProviders } from "../App";
import { WorkspaceProvider } from "../features/workspaces/workspace";

/** A workspace the signed-in user belongs to, as the workspaces API lists it. */
export const testWorkspace = (role = "owner", extra: Partial<Workspace> = {}) =>
  ({ id: 1, name: "Acme", slug: "acme", time_zone: "UTC", role, ...extra }) as Workspace;

/** Render `element` at `path` (matched by `route`) inside the app's providers and one workspace. */
export function renderPage(element: ReactNode, { path = "/", route = "*", workspace = testWorkspace(), queryClient = createQueryClient() }: { path?: string; route?: string; workspace?: Workspace; queryClient?: QueryClient } = {}) {
  const router = createMemoryRouter([{ path: route, element }], { initialEntries: [path] });
  render(
    <AppProviders queryClient={queryClient}>
      <WorkspaceProvider workspaces={[workspace]}>
        <RouterProvider router={router} />
      </WorkspaceProvider>
    </AppProviders>,
  );
  return { router, queryClient };
}
