from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest

from imagerights.services.rehosting import servable


def picture(request: HttpRequest, sha256: str) -> FileResponse:
    stored = servable(sha256.lower()) if len(sha256) == 64 else None
    if stored is None:
        raise Http404("No such picture")
    response = FileResponse(default_storage.open(stored.storage_key, "rb"), content_type=stored.content_type)
    response["Cache-Control"] = "public, max-age=300"  # short: a withdrawal must reach caches soon
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
