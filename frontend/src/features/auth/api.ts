import { useMutation } from "@tanstack/react-query";
import { api } from "../../api/client";
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

/** Register: the API mails a verification link; the account signs in once the address is confirmed. */
export function useRegister(callbacks: MutationCallbacks<unknown, Registration> = {}) {
  return useMutation({
    mutationFn: (registration: Registration) => api.post("/api/auth/register", registration, guest),
    ...callbacks,
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

/** Mail a new verification link to `email` (the API answers the same whatever the address). */
export function useResendVerification(callbacks: MutationCallbacks<unknown, string> = {}) {
  return useMutation({
    mutationFn: (email: string) => api.post("/api/auth/verify-email/resend", { email }, guest),
    ...callbacks,
  });
}
