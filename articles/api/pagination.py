from rest_framework.pagination import CursorPagination


class NewestFirstCursorPagination(CursorPagination):
    """Stable under inserts and cheap at a million rows, unlike page numbers."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 500
