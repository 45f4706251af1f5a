from __future__ import annotations

from django.urls import include, path

from townsquare import views

urlpatterns = [
    path("", views.home_view, name="home"),
    path("healthz", views.healthz_view, name="healthz"),
    path("", include("townsquare.members.urls")),
    path("", include("townsquare.skills.urls")),
    path("", include("townsquare.api.urls")),
]
