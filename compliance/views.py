from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def takedown(request: HttpRequest) -> HttpResponse:
    return render(request, "takedown.html", {"takedown_email": settings.TAKEDOWN_EMAIL})
