"""JSON bodies for the API: nesting deeper than Python's parser can follow is a 400, not a 500, and
the notice endpoint reads bodies up to its own limit (NOTICE_API_MAX_BYTES) instead of Django's
DATA_UPLOAD_MAX_MEMORY_SIZE, which would answer an HTML 400 to a valid 3 MB notice."""

from __future__ import annotations

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser

TOO_DEEP = "the JSON is nested too deeply"


class JSONBodyParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None


class LargeJSONBodyParser(BaseParser):
    """Reads the request stream itself (the view has checked Content-Length against its limit);
    DRF reads a JSONParser's body through request.body, and so through Django's smaller limit."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            return json.loads(raw.decode("utf-8"))
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
