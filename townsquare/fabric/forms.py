"""The fabric pages' forms: one per action that takes input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from townsquare.fabric.services import MAX_NOTE


class NoteForm(forms.Form):
    """A short optional note: with a connection request, an introduction or a forward."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Say why; it helps the other person say yes."),
    )


class IntroAskForm(NoteForm):
    note = forms.CharField(
        label=_("What you would like to talk about"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The people asked to introduce you read it, and so does the person you want to meet."
        ),
    )


class ForwardForm(NoteForm):
    note = forms.CharField(
        label=_("Your note to pass on"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why these two should meet, in your words."),
    )


class AcceptIntroForm(forms.Form):
    connect = forms.BooleanField(
        label=_("Also connect with them"),
        required=False,
        initial=True,
    )


class WeaveForm(forms.Form):
    """The one-click weave: both ids come from the suggestion, the note is optional."""

    newcomer = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    member = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=MAX_NOTE, widget=forms.HiddenInput)
