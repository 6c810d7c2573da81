from django.urls import path

from compliance import views

urlpatterns = [
    path("", views.takedown, name="takedown"),
    path("status/<str:token>/", views.takedown_status, name="takedown-status"),
    path("confirm/<str:token>/", views.takedown_confirm, name="takedown-confirm"),
]
