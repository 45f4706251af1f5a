"""Input schemas for the Square, group and notification pages: one form per page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from townsquare.conversations.models import Group, Reaction
from townsquare.conversations.notifications import PreferenceRow
from townsquare.conversations.square_services import MAX_BODY

BODY_HELP = _(
    "Markdown works: **bold**, _italic_, `code`, lists and links. Mention someone with "
    "@ and their name without spaces (@AliceArcher)."
)


def _body_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_BODY,
        help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 6, "data-mentions": ""}),
    )


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    position = forms.IntegerField(
        label=_("Position"), min_value=0, max_value=1000, initial=0,
        help_text=_("Topics are listed by position, then by name."),
    )  # fmt: skip


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    body = _body_field(_("Your post"))


class ReplyForm(forms.Form):
    body = _body_field(_("Your reply"))


class PostEditForm(forms.Form):
    title = forms.CharField(label=_("Thread title"), max_length=160, required=False)
    body = _body_field(_("Post"))

    def __init__(self, *args: Any, first_post: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if first_post:
            self.fields["title"].required = True
        else:
            del self.fields["title"]


class ReactionForm(forms.Form):
    emoji = forms.ChoiceField(choices=Reaction.Emoji.choices)


class PinForm(forms.Form):
    pinned = forms.BooleanField(required=False)


class HideForm(forms.Form):
    hidden = forms.BooleanField(required=False)
    reason = forms.CharField(max_length=300, required=False)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(
        label=_("What is it about?"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    access = forms.ChoiceField(
        label=_("Who may join"), choices=Group.Access.choices, initial=Group.Access.OPEN,
        widget=forms.RadioSelect,
    )  # fmt: skip


class InviteForm(forms.Form):
    member = forms.CharField(
        label=_("Invite a member"),
        max_length=200,
        help_text=_("Their name without spaces, e.g. @AliceArcher."),
        widget=forms.TextInput(attrs={"data-mentions": "", "autocomplete": "off"}),
    )


class InvitationResponseForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Accept")), ("0", _("Decline"))], coerce=lambda v: v == "1"
    )


class PreferencesForm(forms.Form):
    """Two checkboxes per notification kind: in the app, by email."""

    def __init__(self, *args: Any, rows: list[PreferenceRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            if not row.email_only:
                self.fields[f"{row.kind}__in_app"] = forms.BooleanField(
                    label=_("In the app"), required=False, initial=row.in_app
                )
            self.fields[f"{row.kind}__email"] = forms.BooleanField(
                label=_("By email"), required=False, initial=row.email
            )

    def choices(self) -> dict[str, tuple[bool, bool]]:
        data = self.cleaned_data
        return {
            row.kind: (bool(data.get(f"{row.kind}__in_app")), bool(data.get(f"{row.kind}__email")))
            for row in self.rows
        }

    def table(self) -> list[tuple[PreferenceRow, Any, Any]]:
        """(row, in-app field or None, email field) for the template."""
        return [
            (
                row,
                self[f"{row.kind}__in_app"] if not row.email_only else None,
                self[f"{row.kind}__email"],
            )
            for row in self.rows
        ]
