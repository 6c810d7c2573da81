from django.urls import path

from compliance.api.exports import ProvenanceExportView
from compliance.api.views import NoticeCreateView, NoticeDetailView

urlpatterns = [
    path("notices/", NoticeCreateView.as_view(), name="api-notice-create"),
    path("notices/<str:reference>/", NoticeDetailView.as_view(), name="api-notice-detail"),
    path("exports/provenance/", ProvenanceExportView.as_view(), name="api-export-provenance"),
]
