"""`/bench/hello`: the ceiling that bench/web.py compares pages with.

Routed only when the environment has TOWNSQUARE_BENCH_HELLO=1 (see townsquare/urls.py), so
production routing never has it. The view goes through the full middleware stack like any
page, and does nothing else.
"""

from __future__ import annotations

import os

from django.http import HttpRequest, HttpResponse
from django.urls import path


def enabled() -> bool:
    return os.environ.get("TOWNSQUARE_BENCH_HELLO") == "1"


def hello_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"Hello, world", content_type="text/plain")


urlpatterns = [path("bench/hello", hello_view, name="bench-hello")]
