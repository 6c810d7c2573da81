from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from compliance.inbound_webhook import guarded_webhook_urls
from compliance.metrics import metrics
from compliance.reports.views import compliance_report
from config.health import healthz
from compliance.staff.two_factor import enrol
from imagerights.views import picture

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="articles:list", permanent=False)),
    path("articles/", include("articles.urls")),
    path("takedown/", include("compliance.urls")),
    path("pictures/<str:sha256>", picture, name="picture"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("api/v1/", include("articles.api.urls")),
    path("api/v1/", include("compliance.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("anymail/", include(guarded_webhook_urls())),
    path("staff/two-factor/<str:token>/", enrol, name="two-factor-enrol"),
    path("reports/compliance/", admin.site.admin_view(compliance_report), name="compliance-report"),
    path("admin/", admin.site.urls),
]
