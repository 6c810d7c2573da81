from django.urls import path

from compliance import views

urlpatterns = [
    path("", views.takedown, name="takedown"),
    path("policy/", views.removal_policy, name="takedown-policy"),
    path("status/<str:token>/", views.takedown_status, name="takedown-status"),
    path("confirm/<str:token>/", views.takedown_confirm, name="takedown-confirm"),
    path("counter/status/<str:token>/", views.counter_notice_status, name="takedown-counter-status"),
    path("counter/<slug:slug>/", views.counter_notice, name="takedown-counter"),
]
