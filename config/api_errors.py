"""Domain errors mapped to HTTP in one place."""

from django.core.exceptions import RequestDataTooBig
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from compliance.errors import ComplianceError, IllegalTransition, NotFound

STATUS_BY_ERROR = {NotFound: status.HTTP_404_NOT_FOUND, IllegalTransition: status.HTTP_409_CONFLICT}


def handle(exc, context):
    if isinstance(exc, ComplianceError):
        code = next((code for kind, code in STATUS_BY_ERROR.items() if isinstance(exc, kind)),
                    status.HTTP_400_BAD_REQUEST)
        return Response({"detail": str(exc)}, status=code)
    if isinstance(exc, RequestDataTooBig):  # otherwise Django's HTML 400
        return Response({"detail": "the request body is larger than this endpoint accepts"},
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    return exception_handler(exc, context)
