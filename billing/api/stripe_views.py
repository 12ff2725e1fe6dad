"""The Stripe side of the Billing page: subscribe (Checkout), change plan (preview and apply), cancel and
resume at period end, the subscription, the invoices and the customer portal. Reads for members,
writes for admins and owners (the default roles of WorkspaceViewSet)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from agent_platform.api.schema import calls_upstream
from agent_platform.api.viewsets import WorkspaceViewSet
from billing import selectors, services
from billing.api.serializers import (
    ChangePlanInput,
    ChangePlanOutput,
    CheckoutUrlOutput,
    InvoicesOutput,
    SubscribeInput,
    SubscriptionOutput,
)

PROBLEMS = "403 role_forbidden, 503 billing_not_configured (no Stripe key), 502 stripe_failed."


class StripeBillingViewSet(WorkspaceViewSet):
    pagination_class = None

    def scoped_queryset(self):
        return selectors.plan_list()

    def _page(self, query: str = "") -> str:
        return self.request.build_absolute_uri(f"/billing{query}")

    def _state(self) -> Response:
        return Response(SubscriptionOutput(selectors.subscription_state(workspace=self.workspace)).data)

    @extend_schema(
        tags=["billing"], summary="The workspace's subscription and payment state", responses=SubscriptionOutput
    )
    def subscription(self, request):
        return self._state()

    @extend_schema(
        tags=["billing"],
        summary="Start Stripe Checkout for a paid plan; the browser goes to the returned URL",
        description=f"409 already_subscribed (change the plan instead), 400 plan_not_purchasable. {PROBLEMS}",
        request=SubscribeInput,
        responses=CheckoutUrlOutput,
    )
    @calls_upstream(status=(502, 503))
    def subscribe(self, request):
        data = self.validated(SubscribeInput, request.data)
        url = services.checkout_start(
            workspace=self.workspace,
            plan_code=data["plan"],
            success_url=self._page("?checkout=success"),
            cancel_url=self._page("?checkout=cancel"),
        )
        return Response(CheckoutUrlOutput({"url": url}).data)

    @extend_schema(
        tags=["billing"],
        summary="Change the subscription's plan: `preview` returns the prorated amount, otherwise apply it",
        description=f"409 no_subscription, 400 plan_not_purchasable. {PROBLEMS}",
        request=ChangePlanInput,
        responses=ChangePlanOutput,
    )
    @calls_upstream(status=(502, 503))
    def change_plan(self, request):
        data = self.validated(ChangePlanInput, request.data)
        result = services.plan_change(
            workspace=self.workspace,
            plan_code=data["plan"],
            preview=data["preview"],
            proration_date=data.get("proration_date"),
        )
        return Response(ChangePlanOutput(result).data)

    @extend_schema(
        tags=["billing"],
        summary="Cancel the subscription at the end of the paid period",
        description=f"409 no_subscription. {PROBLEMS}",
        request=None,
        responses=SubscriptionOutput,
    )
    @calls_upstream(status=(502, 503))
    def cancel(self, request):
        services.subscription_cancel(workspace=self.workspace)
        return self._state()

    @extend_schema(
        tags=["billing"],
        summary="Take back a cancellation at period end",
        description=f"409 no_subscription. {PROBLEMS}",
        request=None,
        responses=SubscriptionOutput,
    )
    @calls_upstream(status=(502, 503))
    def resume(self, request):
        services.subscription_cancel(workspace=self.workspace, resume=True)
        return self._state()

    @extend_schema(
        tags=["billing"],
        summary="Stripe's customer portal (payment method, billing details): the URL to open",
        description=PROBLEMS,
        request=None,
        responses=CheckoutUrlOutput,
    )
    @calls_upstream(status=(502, 503))
    def portal(self, request):
        return Response(
            CheckoutUrlOutput({"url": services.portal_session(workspace=self.workspace, return_url=self._page())}).data
        )

    @extend_schema(
        tags=["billing"], summary="The workspace's invoices (newest first) with PDF links", responses=InvoicesOutput
    )
    def invoices(self, request):
        return Response(InvoicesOutput({"invoices": selectors.invoice_list(workspace=self.workspace)}).data)
