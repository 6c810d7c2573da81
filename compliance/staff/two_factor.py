"""Enrolling staff in two-factor login: a signed, expiring link shows a TOTP secret as a QR code;
the person proves their password and a first code, and the device is confirmed."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth import login
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

SALT = "two-factor-enrolment"
LINK_VALID_SECONDS = 72 * 3600
DEVICE_NAME = "authenticator app"


def start_enrolment(user) -> str:
    """A fresh unconfirmed device (replacing any earlier unfinished one) and the link's token."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return signing.dumps({"device": device.pk}, salt=SALT)


def device_for_token(token: str) -> TOTPDevice | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_VALID_SECONDS)
    except signing.BadSignature:
        return None
    return TOTPDevice.objects.filter(pk=data.get("device"), confirmed=False).select_related("user").first()


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii")


def qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


class EnrolForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput)
    code = forms.CharField(max_length=8, label="Code from the app", widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

    def __init__(self, *args, device: TOTPDevice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean(self):
        data = super().clean()
        user = self.device.user
        if not user.is_active or not user.check_password(data.get("password", "")):
            raise forms.ValidationError("The password is not right.")
        if not self.device.verify_token(data.get("code", "").strip()):
            raise forms.ValidationError("The code is not right; check the app's clock and try the next code.")
        return data


@never_cache
@csrf_protect
def enrol(request: HttpRequest, token: str) -> HttpResponse:
    device = device_for_token(token)
    if device is None:
        raise Http404("This enrolment link is not valid any more; ask an administrator for a new one.")
    form = EnrolForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        login(request, device.user, backend="django.contrib.auth.backends.ModelBackend")
        otp_login(request, device)
        return HttpResponseRedirect(reverse("admin:index"))
    return TemplateResponse(request, "admin/two_factor_enrol.html", {
        "title": "Set up two-factor login", "form": form, "enrolled_user": device.user,
        "qr": mark_safe(qr_svg(device)), "secret": base32_secret(device),
        "site_header": "Provenance & Takedown Compliance", "has_permission": False})
