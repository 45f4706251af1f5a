from __future__ import annotations

from django.urls import path

from townsquare.api import views
from townsquare.api.api import api

app_name = "api"

urlpatterns = [
    path("api/v1/", api.urls),
    path("me/tokens/", views.tokens_view, name="tokens"),
    path("me/tokens/<int:token_id>/revoke/", views.revoke_view, name="token-revoke"),
]
