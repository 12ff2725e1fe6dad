/** RFC 9457 problem details, as every API error is answered (agent_platform/api/problems.py). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: Record<string, string[]>;
  [extra: string]: unknown;
}

/** Every failed API call rejects with an ApiError: branch on `code`, show `detail`, map `errors`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly title: string;
  readonly fieldErrors: Record<string, string[]>;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail;
    this.title = problem.title;
    this.fieldErrors = problem.errors ?? {};
    this.problem = problem;
  }

  /** The first message for a field (`non_field_errors` for the form as a whole). */
  fieldError(field: string): string | undefined {
    return this.fieldErrors[field]?.[0];
  }
}

/** Codes that mean "the access token is not (or no longer) good": worth one refresh. */
export const AUTH_CODES = new Set(["token_not_valid", "not_authenticated", "authentication_failed", "session_ended"]);

function isProblem(body: unknown): body is Problem {
  return typeof body === "object" && body !== null && "status" in body && "code" in body;
}

/** Turns a non-2xx response (problem+json or not) into an ApiError. Never throws itself. */
export async function problemFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  const text = await response.text().catch(() => "");
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (isProblem(body)) {
    return new ApiError({
      ...body,
      type: body.type ?? "about:blank",
      title: body.title ?? response.statusText,
      detail: body.detail ?? body.title ?? response.statusText,
      status: body.status ?? response.status,
    });
  }
  return new ApiError({
    type: "about:blank",
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: response.statusText || `The server answered ${response.status}.`,
    code: response.status >= 500 ? "server_error" : "http_error",
  });
}

/** A fetch that never reached the server (offline, DNS, CORS, aborted). */
export function networkError(cause: unknown): ApiError {
  const aborted = cause instanceof DOMException && cause.name === "AbortError";
  return new ApiError({
    type: "about:blank",
    title: aborted ? "Aborted" : "Network error",
    status: 0,
    detail: aborted ? "The request was cancelled." : "The server could not be reached. Check your connection.",
    code: aborted ? "aborted" : "network_error",
  });
}

/** The message to show for any error thrown by a query or mutation. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  if (error instanceof Error) return error.message;
  return String(error);
}
