"""The managers' review of free-text skills: accept as new, or merge into a canonical one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from townsquare.members.access import manager_required
from townsquare.skills import selectors, services
from townsquare.skills.models import SkillCategory


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", "accept"), ("merge", "merge")])
    category = forms.ModelChoiceField(
        queryset=SkillCategory.objects.all(), required=False, label=gettext_lazy("Category")
    )
    into = forms.CharField(required=False, max_length=100, label=gettext_lazy("Merge into"))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == "merge":
            target = services.find_skill(data.get("into", ""))
            if target is None:
                self.add_error("into", _("No accepted skill by that name."))
            data["target"] = target
        return data


@manager_required
def review_view(request: HttpRequest) -> HttpResponse:
    pending = list(selectors.pending_skills(request.user)[:200])
    for skill in pending:
        skill.suggestion = services.suggest_canonical(skill.name)
    return render(
        request,
        "skills/review.html",
        {"pending": pending, "categories": SkillCategory.objects.all()},
    )


@manager_required
@require_POST
def decide_view(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = selectors.get_pending_skill_for(request.user, skill_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{skill.name}: {field}: {' '.join(errors)}")
        return redirect("skills:review")
    try:
        if form.cleaned_data["action"] == "accept":
            services.accept_skill(request.user, skill, category=form.cleaned_data["category"])
            messages.success(request, _("“%(name)s” is now a skill.") % {"name": skill.name})
        else:
            target = form.cleaned_data["target"]
            services.merge_skill(request.user, skill, into=target)
            messages.success(
                request,
                _("“%(name)s” merged into %(into)s.") % {"name": skill.name, "into": target.name},
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("skills:review")
