from __future__ import annotations

from django.urls import path

from townsquare.skills import views

app_name = "skills"

urlpatterns = [
    path("manage/skills/", views.review_view, name="review"),
    path("manage/skills/<int:skill_id>/", views.decide_view, name="decide"),
]
