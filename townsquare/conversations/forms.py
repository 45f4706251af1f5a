"""Forms of the messaging pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from townsquare.conversations.services import MAX_BODY


class MessageForm(forms.Form):
    """The send box under a conversation (the same rules as `send_message`)."""

    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_BODY,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Write a message (Markdown)")}),
    )


class HistoryForm(forms.Form):
    """`?before=<id>` for older pages of a conversation."""

    before = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
