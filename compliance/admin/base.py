from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from compliance.services.personal_data import log_access, may_see_personal_data


class ReadOnlyAdmin(admin.ModelAdmin):
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
