"""The page where people create and revoke their personal API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from townsquare.api import selectors, services


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=80,
        help_text=gettext_lazy("What it is for, e.g. “calendar sync” or “my laptop”."),
    )


@never_cache  # the response that shows a new secret must not be kept by any cache
@login_required
def tokens_view(request: HttpRequest) -> HttpResponse:
    """Lists the viewer's tokens; a POST creates one and shows its secret this once."""
    form = TokenForm(request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, secret = services.issue_token(request.user, form.cleaned_data["name"])
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errs in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errs)
                else:
                    form.add_error(None, error.messages)
            else:
                form = TokenForm()
        if secret is None:
            status = 400
    context = {
        "form": form,
        "secret": secret,
        "tokens": selectors.tokens_for(request.user)[:100],
        "api_root": request.build_absolute_uri("/api/v1/"),
    }
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.get_token_for(request.user, token_id)
    services.revoke_token(request.user, token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")
