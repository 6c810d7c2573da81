"""Requests carrying NUL bytes in their path or query string are refused with a 400 before any view:
PostgreSQL cannot store or compare a NUL in text, and would answer with a 500 deep inside a query."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

MESSAGE = "the address or a query parameter contains a NUL byte"


class RefuseNulBytes:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values)
                                         for key, values in request.GET.lists()):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE}, status=400)
            return HttpResponse(f"Bad request: {MESSAGE}.\n", status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
