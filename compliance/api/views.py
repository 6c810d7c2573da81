import hashlib
import json

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from compliance.api.examples import NOTICE_EXAMPLE
from compliance.api.parsers import LargeJSONBodyParser
from compliance.api.serializers import NoticeInputSerializer, NoticeOutputSerializer
from compliance.parsing.submission import ItemInput, Submission, validate_items
from compliance.models import Notice
from compliance.ratelimit import CACHE_UNREACHABLE, log_failing_open
from compliance.selectors import notices_of_sender
from compliance.services.api_intake import IdempotencyConflict, receive_api_notice
from compliance.services.intake import ReceivedNotice


IDEMPOTENCY_KEY_MAX = 200  # the column's length


class IsNoticeSender(permissions.BasePermission):
    message = "This account is not registered to send notices."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("compliance.add_notice"))


class NoticeSubmissionThrottle(UserRateThrottle):
    scope = "notice_submissions"

    def get_rate(self) -> str:
        return settings.NOTICE_API_RATE

    def allow_request(self, request, view) -> bool:
        if request.method != "POST":
            return True
        try:
            return super().allow_request(request, view)
        except CACHE_UNREACHABLE as exc:  # intake never waits on Redis: fail open, logged
            log_failing_open(self.scope, exc)
            return True


def _submission(data: dict) -> Submission:
    items, errors = validate_items([
        ItemInput(url=item["url"], scope=item["scope"], original_url=item.get("original_url") or "",
                  note=item.get("note") or "")
        for item in data["items"]
    ])
    if errors:
        raise ValidationError({key.replace("]", "].url", 1): messages for key, messages in errors.items()})
    claimant, acting_for = data["claimant"], data.get("acting_for") or {}
    return Submission(
        claimant_name=claimant["name"].strip(), claimant_email=claimant["email"].strip().lower(),
        claimant_organisation=claimant["organisation"].strip(), claimant_address=claimant["address"].strip(),
        claimant_phone=claimant["phone"].strip(), items=tuple(items), kind=data["kind"],
        acting_as=acting_for.get("relationship", Notice.ActingAs.OWNER), acting_for_name=acting_for.get("name", ""),
        work_description=data["work_description"], explanation=data["explanation"],
        good_faith=True, accuracy=True, signature=data["signature"].strip(),
    )


def _answer(received: ReceivedNotice) -> dict:
    notice = received.notice
    return {"reference": notice.reference, "status": notice.status, "status_url": received.status_url,
            "received_at": notice.received_at.isoformat(), "due_at": notice.due_at.isoformat() if notice.due_at else None,
            "items": notice.items.count(), "matched_items": notice.items.filter(state="matched").count(),
            "duplicate_of": notice.duplicate_of.reference if notice.duplicate_of else None}


class NoticeCreateView(APIView):
    permission_classes = [IsNoticeSender]
    throttle_classes = [NoticeSubmissionThrottle]
    parser_classes = [LargeJSONBodyParser]  # up to NOTICE_API_MAX_BYTES, checked before the body is read

    @extend_schema(
        request=NoticeInputSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                                     description="Retrying with the same key and body returns the first answer; "
                                                 "the same key with another body is a 409.")],
        responses={201: OpenApiResponse(description="Received: reference and private status URL"),
                   400: OpenApiResponse(description="Every invalid field, by name"),
                   409: OpenApiResponse(description="Idempotency-Key reused with another body"),
                   411: OpenApiResponse(description="No Content-Length"),
                   413: OpenApiResponse(description="Body over the size limit"),
                   429: OpenApiResponse(description="Over the rate limit")},
        examples=[OpenApiExample("A copyright notice with two items", value=NOTICE_EXAMPLE, request_only=True)],
        summary="File a removal request",
    )
    def post(self, request: Request) -> Response:
        too_big = self._size_problem(request)
        if too_big:
            return too_big
        serializer = NoticeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key = request.headers.get("Idempotency-Key", "") or data.get("idempotency_key", "")
        if len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable():  # refused whole: a cut key could collide
            return Response({"detail": f"Idempotency-Key must be at most {IDEMPOTENCY_KEY_MAX} printable "
                                       "characters"}, status=status.HTTP_400_BAD_REQUEST)
        body_sha256 = hashlib.sha256(json.dumps(request.data, sort_keys=True, default=str).encode()).hexdigest()
        try:
            _, answer, created = receive_api_notice(sender=request.user, submission=_submission(data),
                                                    key=key, body_sha256=body_sha256, answer=_answer)
        except IdempotencyConflict as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(answer, status=status.HTTP_201_CREATED, headers={"Location": answer["status_url"]}
                        if created else {})

    @staticmethod
    def _size_problem(request: Request) -> Response | None:
        # Checked before the body is read: Django's own limit would answer a vague 400.
        length = request.META.get("CONTENT_LENGTH")
        if not length:
            return Response({"detail": "a Content-Length header is required"}, status=status.HTTP_411_LENGTH_REQUIRED)
        try:
            size = int(length)
        except ValueError:
            return Response({"detail": "Content-Length is not a number"}, status=status.HTTP_400_BAD_REQUEST)
        if size > settings.NOTICE_API_MAX_BYTES:
            return Response({"detail": f"the body is {size} bytes; the limit is {settings.NOTICE_API_MAX_BYTES}"},
                            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        return None


class NoticeDetailView(APIView):
    permission_classes = [IsNoticeSender]

    @extend_schema(responses=NoticeOutputSerializer, summary="One of your own notices")
    def get(self, request: Request, reference: str) -> Response:
        notice = get_object_or_404(notices_of_sender(request.user), reference=reference.upper())
        return Response(NoticeOutputSerializer(notice).data)
