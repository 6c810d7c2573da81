from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest

from articles.actors import Actor
from compliance.services.personal_data import log_access, may_see_personal_data

# Fields that hold claimants' and objectors' personal data, by model. An admin changelist accepts a
# lookup on any field in its query string (?claimant_email__startswith=a), which would read them one
# character at a time: staff without the permission to see them may not filter or search on them.
PERSONAL_FIELDS = {
    "compliance.notice": {"claimant_name", "claimant_organisation", "claimant_email", "claimant_address",
                          "claimant_phone", "signature", "client_ip", "acting_for_name", "explanation",
                          "work_description"},
    "compliance.counternotice": {"name", "organisation", "email", "address", "phone", "signature", "explanation"},
    "compliance.inboundmessage": {"raw", "header_from", "envelope_from", "authentication_results", "subject"},
    "compliance.outboundmessage": {"to_address", "body", "subject"},
}


def touches_personal_data(model, lookup: str) -> bool:
    """Whether a lookup path (``notice__claimant_email__startswith``) reaches a personal field."""
    for part in lookup.split(LOOKUP_SEP):
        if part in PERSONAL_FIELDS.get(model._meta.label_lower, ()):
            return True
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a transform or lookup name (startswith, year): the path ends here
        if not field.is_relation:
            return False
        model = field.related_model
    return False


class RedactedLookups(admin.ModelAdmin):
    """Changelist lookups and search stay off personal data for staff who may not see it."""

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        allowed = request is not None and may_see_personal_data(request.user)
        if touches_personal_data(self.model, lookup) and not allowed:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_fields(self, request: HttpRequest):
        fields = super().get_search_fields(request)
        if may_see_personal_data(request.user):
            return fields
        return [f for f in fields if not touches_personal_data(self.model, f.lstrip("=^@"))]


def _shown(field: str) -> str:
    return f"{field}_shown"


def _actor_column(field: str):
    @admin.display(description=field.replace("_", " ").capitalize(), ordering=field)
    def column(self, obj) -> str:
        stored = getattr(obj, field)
        return Actor.parse(stored).name if stored else ""
    return column


class ShowsActors(admin.ModelAdmin):
    """Fields that hold an actor's id ("user:3", "system:sla") are shown as the actor's name, in the
    list and on the change page; the stored id stays what it is."""

    actor_fields: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        for field in cls.actor_fields:
            setattr(cls, _shown(field), _actor_column(field))

    def _named(self, names):
        return list(dict.fromkeys(_shown(name) if name in self.actor_fields else name for name in names))

    def get_list_display(self, request: HttpRequest):
        return self._named(super().get_list_display(request))

    def get_fields(self, request: HttpRequest, obj=None):
        return self._named(super().get_fields(request, obj))

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [*super().get_readonly_fields(request, obj), *(_shown(field) for field in self.actor_fields)]


class ReadOnlyAdmin(ShowsActors, RedactedLookups):
    """Records change only through the compliance services, never through an admin form."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PersonalDataAdmin(ReadOnlyAdmin):
    """Records holding claimants' personal data: those fields are left out for staff without the
    permission to see them, and every change page a permitted user opens is logged."""

    personal_fields: tuple[str, ...] = ()

    def _allowed(self, request: HttpRequest) -> bool:
        return may_see_personal_data(request.user)

    def get_list_display(self, request: HttpRequest):
        shown = super().get_list_display(request)
        return shown if self._allowed(request) else [f for f in shown if f not in self.personal_fields]

    def get_exclude(self, request: HttpRequest, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        return excluded if self._allowed(request) else excluded + list(self.personal_fields)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if self._allowed(request) else [f for f in fields if f not in self.personal_fields]

    def get_fields(self, request: HttpRequest, obj=None):
        fields = super().get_fields(request, obj)
        return fields if self._allowed(request) else [f for f in fields if f not in self.personal_fields]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        if self._allowed(request) and request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                log_access(user=request.user, what="view", notice=getattr(obj, "notice", None),
                           detail=f"{self.opts.verbose_name} {obj.pk}")
        return super().change_view(request, object_id, form_url, extra_context)
