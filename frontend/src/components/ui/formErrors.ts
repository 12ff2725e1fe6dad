import { ApiError, errorMessage } from "../../api/problem";

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/**
 * Splits an API error into messages for the form's own fields and one message for the form:
 * errors on fields the form shows go beside them; anything else (non_field_errors, fields the form
 * does not have, or a non-validation problem) becomes the form-level message (`detail`).
 */
export function splitApiError<F extends string>(
  error: unknown,
  fields: readonly F[],
): { fieldErrors: FieldErrors<F>; formError: string | null } {
  const fieldErrors: FieldErrors<F> = {};
  if (!(error instanceof ApiError)) return { fieldErrors, formError: errorMessage(error) };
  const rest: string[] = [];
  for (const [field, messages] of Object.entries(error.fieldErrors)) {
    if ((fields as readonly string[]).includes(field) && messages[0]) fieldErrors[field as F] = messages[0];
    else if (messages[0]) rest.push(messages[0]);
  }
  const mapped = Object.keys(fieldErrors).length > 0;
  const formError = rest.length > 0 ? rest.join(" ") : mapped ? null : error.detail;
  return { fieldErrors, formError };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Client-side checks mirroring the API's (it stays the authority; its errors are shown the same way). */
export const validate = {
  required: (value: string, message: string) => (value.trim() ? undefined : message),
  email: (value: string, messages: { required: string; invalid: string }) =>
    !value.trim() ? messages.required : EMAIL.test(value.trim()) ? undefined : messages.invalid,
  minLength: (value: string, min: number, message: string) => (value.length >= min ? undefined : message),
};

export function hasErrors(errors: Record<string, string | undefined>): boolean {
  return Object.values(errors).some(Boolean);
}
