from __future__ import annotations

from django.urls import path

from townsquare.conversations import group_views, notification_views, square_views, views

app_name = "conversations"

urlpatterns = [
    # Messages
    path("messages/", views.inbox_view, name="inbox"),
    path("messages/new/<int:member_id>/", views.start_view, name="start"),
    path("messages/<int:conversation_id>/", views.conversation_view, name="conversation"),
    path("messages/<int:conversation_id>/leave/", views.leave_view, name="leave"),
    # Square
    path("square/", square_views.square_view, name="square"),
    path("square/topics/new/", square_views.topic_create_view, name="topic-create"),
    path("square/topics/<int:topic_id>/", square_views.topic_view, name="topic"),
    path("square/topics/<int:topic_id>/edit/", square_views.topic_edit_view, name="topic-edit"),
    path(
        "square/topics/<int:topic_id>/new/", square_views.thread_create_view, name="thread-create"
    ),
    path("square/threads/<int:thread_id>/", square_views.thread_view, name="thread"),
    path(
        "square/threads/<int:thread_id>/reply/", square_views.thread_reply_view, name="thread-reply"
    ),
    path("square/threads/<int:thread_id>/pin/", square_views.thread_pin_view, name="thread-pin"),
    path("square/posts/<int:post_id>/edit/", square_views.post_edit_view, name="post-edit"),
    path("square/posts/<int:post_id>/react/", square_views.post_react_view, name="post-react"),
    path("square/posts/<int:post_id>/hide/", square_views.post_hide_view, name="post-hide"),
    path("square/groups/", group_views.groups_view, name="groups"),
    path("square/groups/new/", group_views.group_create_view, name="group-create"),
    path("square/groups/<int:group_id>/", group_views.group_view, name="group"),
    path(
        "square/groups/<int:group_id>/new/",
        group_views.group_thread_create_view,
        name="group-thread-create",
    ),
    path("square/groups/<int:group_id>/join/", group_views.group_join_view, name="group-join"),
    path("square/groups/<int:group_id>/leave/", group_views.group_leave_view, name="group-leave"),
    path(
        "square/groups/<int:group_id>/invite/", group_views.group_invite_view, name="group-invite"
    ),
    path(
        "square/groups/<int:group_id>/members/<int:member_id>/remove/",
        group_views.group_member_remove_view,
        name="group-member-remove",
    ),
    path(
        "square/invitations/<int:invitation_id>/",
        group_views.group_invitation_respond_view,
        name="group-invitation-respond",
    ),
    # Notifications
    path("notifications/", notification_views.notifications_view, name="notifications"),
    path(
        "notifications/read/",
        notification_views.notifications_read_all_view,
        name="notifications-read-all",
    ),
    path(
        "notifications/<int:notification_id>/open/",
        notification_views.notification_open_view,
        name="notification-open",
    ),
    path(
        "me/notifications/",
        notification_views.notification_preferences_view,
        name="notification-preferences",
    ),
]
