import { useMutation } from "@tanstack/react-query";
import { api, type TokenPair } from "../../api/client";
import type { MutationCallbacks } from "../../api/hooks";

/** The auth endpoints answer visitors: no access token, no workspace. */
const guest = { auth: false, workspace: false } as const;

export interface Registration {
  name: string;
  email: string;
  password: string;
  language: string;
  time_zone: string;
}

/**
 * Register. The API answers with tokens when the account may sign in at once (they are taken: the
 * session starts) and without them when the email must be verified first: `data` is the tokens or null.
 */
export function useRegister(callbacks: MutationCallbacks<TokenPair | null, Registration> = {}) {
  return useMutation({
    mutationFn: async (registration: Registration) => {
      const result = await api.post<Partial<TokenPair> | undefined>("/api/auth/register", registration, guest);
      return result?.access && result.refresh ? { access: result.access, refresh: result.refresh } : null;
    },
    ...callbacks,
    onSuccess: (tokens, ...rest) => {
      if (tokens) api.setTokens(tokens);
      return callbacks.onSuccess?.(tokens, ...rest);
    },
  });
}

/** Mail a password reset link (the API answers the same whether the address is known or not). */
export function useForgotPassword() {
  return useMutation({ mutationFn: (email: string) => api.post("/api/auth/forgot-password", { email }, guest) });
}

export function useResetPassword() {
  return useMutation({ mutationFn: (reset: { token: string; password: string }) => api.post("/api/auth/reset-password", reset, guest) });
}

/** Verify the email address with the token from the link (single-use). */
export function useVerifyEmail(token: string) {
  return useMutation({ mutationFn: () => api.post("/api/auth/verify-email", { token }, guest) });
}

/** Mail the signed-in user a new verification link. */
export function useResendVerification(callbacks: MutationCallbacks<unknown, void> = {}) {
  return useMutation({ mutationFn: () => api.post("/api/auth/verify-email/resend", {}, { workspace: false }), ...callbacks });
}
