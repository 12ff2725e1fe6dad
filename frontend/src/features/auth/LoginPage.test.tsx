import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { createQueryClient } from "../../api/queryClient";
import { AppProviders } from "../../App";
import i18n from "../../i18n";
import { GuestOnly } from "./guards";
import { LoginPage } from "./LoginPage";

const problem = (status: number, code: string, detail: string, errors?: Record<string, string[]>) =>
  new Response(JSON.stringify({ type: "x", title: "t", status, detail, code, errors }), {
    status,
    headers: { "Content-Type": "application/problem+json" },
  });

function renderLogin(initial = "/login") {
  const router = createMemoryRouter(
    [
      { element: <GuestOnly />, children: [{ path: "/login", element: <LoginPage /> }] },
      { path: "/", element: <p>home page</p> },
      { path: "/agents", element: <p>agents page</p> },
    ],
    { initialEntries: [initial] },
  );
  render(
    <AppProviders queryClient={createQueryClient()}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return router;
}

describe("LoginPage", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.clearSession();
    fetch.mockReset();
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  it("checks the fields before calling the API", async () => {
    renderLogin();
    await userEvent.type(screen.getByLabelText("Email"), "not-an-email");
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(screen.getByText("Enter a valid email address.")).toBeInTheDocument();
    expect(screen.getByText("Enter your password.")).toBeInTheDocument();
    expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
    expect(fetch).not.toHaveBeenCalled();
  });

  it("shows the API's field errors beside their fields", async () => {
    fetch.mockResolvedValue(
      problem(400, "validation_error", "password: This field may not be blank.", {
        password: ["This field may not be blank."],
      }),
    );
    renderLogin();
    await userEvent.type(screen.getByLabelText("Email"), "a@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "x");
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByText("This field may not be blank.")).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows the API's detail for wrong credentials", async () => {
    fetch.mockResolvedValue(problem(401, "no_active_account", "No active account found with the given credentials"));
    renderLogin();
    await userEvent.type(screen.getByLabelText("Email"), "a@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "wrong");
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("No active account found with the given credentials");
    expect(api.hasSession()).toBe(false);
  });

  it("signs in and goes where the user was going", async () => {
    fetch.mockResolvedValue(new Response(JSON.stringify({ access: "a", user: {} }), { status: 200 }));
    const router = renderLogin("/login?next=%2Fagents");
    await userEvent.type(screen.getByLabelText("Email"), " a@example.com ");
    await userEvent.type(screen.getByLabelText("Password"), "secret");
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByText("agents page")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/agents");
    expect(JSON.parse(String(fetch.mock.calls[0][1]!.body))).toEqual({ email: "a@example.com", password: "secret", refresh_cookie: true });
    expect(api.accessToken()).toBe("a");
    // The refresh token is the server's HttpOnly cookie: nothing of it is stored by script.
    expect(sessionStorage.length).toBe(0);
    expect({ ...localStorage }).toEqual({ "ap.session": "1" });
  });

  it("offers to resend the verification email when the address is not confirmed yet", async () => {
    fetch.mockResolvedValueOnce(problem(403, "email_not_verified", "Open the link in the email we sent you, or ask for a new one."));
    fetch.mockResolvedValueOnce(new Response(JSON.stringify({ detail: "If the address can receive mail, a message is on its way." }), { status: 202 }));
    renderLogin();
    await userEvent.type(screen.getByLabelText("Email"), "new@example.com ");
    await userEvent.type(screen.getByLabelText("Password"), "secret");
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Confirm your email address first: open the link we sent to new@example.com.");
    await userEvent.click(screen.getByRole("button", { name: "Resend the email" }));
    expect(await screen.findByText("A new link is on its way to new@example.com.")).toBeInTheDocument();
    const [url, init] = fetch.mock.calls[1];
    expect(url).toBe("/api/auth/verify-email/resend");
    expect(JSON.parse(String(init!.body))).toEqual({ email: "new@example.com" });
    expect((init!.headers as Record<string, string>).Authorization).toBeUndefined();
    expect(screen.queryByRole("button", { name: "Resend the email" })).toBeNull();
    expect(api.hasSession()).toBe(false);
  });
});
