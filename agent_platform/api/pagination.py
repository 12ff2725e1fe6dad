from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    """`?page=N&page_size=M` (M ≤ 100); the response carries count, next, previous, results."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class CreatedCursorPagination(CursorPagination):
    """Stable pagination for append-mostly streams (messages, logs): no skipped or repeated rows
    while new rows arrive."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-created_at"
