from __future__ import annotations

from django.urls import include, path

from townsquare import bench_urls, views

urlpatterns = [
    path("", views.home_view, name="home"),
    path("healthz", views.healthz_view, name="healthz"),
    path("", include("townsquare.members.urls")),
    path("", include("townsquare.skills.urls")),
    path("", include("townsquare.api.urls")),
    path("", include("townsquare.conversations.urls")),
    path("", include("townsquare.fabric.urls")),
]

# The benchmark's hello-world ceiling, only when TOWNSQUARE_BENCH_HELLO=1 (bench/web.py).
if bench_urls.enabled():
    urlpatterns.append(path("", include(bench_urls)))
