import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ConfirmProvider } from "./components/ui/confirm";
import { ThemeProvider } from "./components/ui/theme";
import { ToastProvider } from "./components/ui/toast";
import { SessionProvider } from "./features/auth/session";

/** Every provider the pages rely on; tests wrap components in it with their own QueryClient. */
export function AppProviders({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <ThemeProvider>
        <ToastProvider>
          <ConfirmProvider>
            <SessionProvider>{children}</SessionProvider>
          </ConfirmProvider>
        </ToastProvider>
      </ThemeProvider>
    </QueryClientProvider>
  );
}
