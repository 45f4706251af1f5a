from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from townsquare.members.forms import PasswordResetForm
from townsquare.members.views import accounts, admission, directory, profiles

app_name = "members"

urlpatterns = [
    path("accounts/login/", accounts.login_view, name="login"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("accounts/verify/resend/", accounts.resend_verification_view, name="verify-email-resend"),
    path("accounts/verify/<str:token>/", accounts.verify_email_view, name="verify-email"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            # Without django.contrib.sites the mail would name the request's host instead.
            extra_email_context={"site_name": settings.SITE_NAME},
            template_name="members/password_reset.html",
            email_template_name="members/email/password_reset.txt",
            subject_template_name="members/email/password_reset_subject.txt",
            success_url=reverse_lazy("members:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="members/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="members/password_reset_confirm.html",
            success_url=reverse_lazy("members:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="members/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("apply/", admission.apply_view, name="apply"),
    path("application/", admission.application_view, name="application"),
    path("invite/", admission.invite_view, name="invite"),
    path("members/", directory.directory_view, name="directory"),
    path("members/<int:member_id>/", profiles.profile_view, name="profile"),
    path("members/<int:member_id>/avatar.svg", profiles.avatar_view, name="avatar"),
    path("me/profile/", profiles.profile_edit_view, name="profile-edit"),
    path("manage/applications/", admission.review_queue_view, name="review-queue"),
    path(
        "manage/applications/<int:application_id>/",
        admission.application_review_view,
        name="application-review",
    ),
]
