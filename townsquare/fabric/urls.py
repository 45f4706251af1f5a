from __future__ import annotations

from django.urls import path

from townsquare.fabric import views

app_name = "fabric"

urlpatterns = [
    path("people/", views.people_view, name="people"),
    path("people/<int:member_id>/connect/", views.connect_view, name="connect"),
    path("people/<int:member_id>/disconnect/", views.disconnect_view, name="disconnect"),
    path("people/<int:member_id>/follow/", views.follow_view, name="follow"),
    path("people/<int:member_id>/unfollow/", views.unfollow_view, name="unfollow"),
    path("people/<int:member_id>/block/", views.block_view, name="block"),
    path("people/<int:member_id>/unblock/", views.unblock_view, name="unblock"),
    path("people/<int:member_id>/dismiss/", views.dismiss_view, name="dismiss"),
    path("people/<int:member_id>/intro/", views.intro_ask_view, name="intro-ask"),
    path(
        "people/requests/<int:request_id>/accept/",
        views.request_accept_view,
        name="request-accept",
    ),
    path(
        "people/requests/<int:request_id>/decline/",
        views.request_decline_view,
        name="request-decline",
    ),
    path(
        "people/requests/<int:request_id>/withdraw/",
        views.request_withdraw_view,
        name="request-withdraw",
    ),
    path("intros/", views.intros_view, name="intros"),
    path("intros/<int:intro_id>/", views.intro_view, name="intro"),
    path("intros/<int:intro_id>/forward/", views.intro_forward_view, name="intro-forward"),
    path("intros/<int:intro_id>/decline/", views.intro_decline_view, name="intro-decline"),
    path("intros/<int:intro_id>/accept/", views.intro_accept_view, name="intro-accept"),
    path("intros/<int:intro_id>/withdraw/", views.intro_withdraw_view, name="intro-withdraw"),
    path("manage/fabric/", views.fabric_view, name="manage"),
    path("manage/fabric/weave/", views.weave_view, name="weave"),
]
