"""Ordering that pages stably: a client-chosen `?ordering=` ends with the primary key, so rows that
tie on the chosen column keep one order and a page-number walk neither repeats nor skips them."""

from __future__ import annotations

from rest_framework.filters import OrderingFilter


class StableOrderingFilter(OrderingFilter):
    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        fields = [field.lstrip("-") for field in ordering]
        if "id" in fields or "pk" in fields:
            return ordering
        # The tiebreak follows the direction of the first key (newest-first lists stay newest-first).
        return [*ordering, "-id" if ordering[0].startswith("-") else "id"]
