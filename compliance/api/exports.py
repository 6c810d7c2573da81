"""Exports for auditors over HTTP, streamed: the format comes from `?output=` or the Accept header
(DRF's renderers), never from `?format=`, which DRF reserves."""

import json

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, renderers
from rest_framework.request import Request
from rest_framework.views import APIView

from compliance.exports.provenance import STATUSES, ExportArgumentError, ExportFilter
from compliance.exports.provenance_stream import (EXPORT_PERMISSION, FORMATS, PersonalDataRefused,
                                                  authorise_personal_data, chunks)


class CanExportRecords(permissions.BasePermission):
    message = "This account may not export records."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(EXPORT_PERMISSION))


class _DetailAsJson(renderers.BaseRenderer):
    """Streams carry the export; errors are rendered as JSON (see handle_exception)."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data).encode()


class CsvRenderer(_DetailAsJson):
    media_type, format = "text/csv", "csv"


class JsonLdRenderer(_DetailAsJson):
    media_type, format = "application/ld+json", "jsonld"


class ProvenanceExportView(APIView):
    permission_classes = [CanExportRecords]
    renderer_classes = [CsvRenderer, renderers.JSONRenderer, JsonLdRenderer]
    serializer_class = None  # the body is a stream written by compliance.exports, not a serializer's output

    def handle_exception(self, exc):
        """Errors are JSON whichever export format was asked for."""
        self.request.accepted_renderer, self.request.accepted_media_type = renderers.JSONRenderer(), "application/json"
        return super().handle_exception(exc)

    @extend_schema(
        parameters=[
            OpenApiParameter("output", str, enum=list(FORMATS), description="csv, json or jsonld; overrides Accept"),
            OpenApiParameter("source", str, many=True, description="source slug or domain; repeatable"),
            OpenApiParameter("since", str, description="YYYY-MM-DD or ISO 8601 time (publication date)"),
            OpenApiParameter("until", str, description="YYYY-MM-DD (included) or ISO 8601 time"),
            OpenApiParameter("status", str, many=True, enum=STATUSES, description="repeatable"),
            OpenApiParameter("with_personal_data", bool,
                             description="claimants' names and emails; needs compliance.view_personal_data"),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="The export, streamed"),
                   400: OpenApiResponse(OpenApiTypes.OBJECT, description="A filter that cannot be applied"),
                   403: OpenApiResponse(OpenApiTypes.OBJECT,
                                        description="No permission to export, or to see personal data")},
        summary="Provenance records, one per article and per asset",
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        params = request.query_params
        fmt = params.get("output") or request.accepted_renderer.format
        if fmt not in FORMATS:
            raise exceptions.ParseError(f"unknown output {fmt!r}; choose from {', '.join(FORMATS)}")
        try:
            filters = ExportFilter.parse(sources=params.getlist("source"), since=params.get("since", ""),
                                         until=params.get("until", ""), statuses=params.getlist("status"))
            personal = authorise_personal_data(
                request.user, asked=params.get("with_personal_data", "").lower() in {"1", "true", "yes"},
                filters=filters, via="api")
        except ExportArgumentError as exc:
            raise exceptions.ParseError(str(exc)) from None
        except PersonalDataRefused as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        response = StreamingHttpResponse((chunk.data for chunk in chunks(fmt, filters, personal_data=personal)),
                                         content_type=FORMATS[fmt])
        name = f"provenance-{timezone.now():%Y%m%dT%H%M%SZ}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response
