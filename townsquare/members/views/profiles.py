"""A member's profile page, its edit page, and the generated avatar."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from townsquare.lib.avatars import avatar_svg
from townsquare.members import selectors, services
from townsquare.members.forms import ProfileForm, SkillFormSet
from townsquare.members.models import Role
from townsquare.skills.services import resolve_skill


def profile_view(request: HttpRequest, member_id: int) -> HttpResponse:
    member = selectors.get_member_for(request.user, member_id)
    view = selectors.profile_view_for(request.user, member)
    return render(request, "members/profile.html", {"view": view, "member": member})


@cache_control(max_age=86400, private=True)
def avatar_view(request: HttpRequest, member_id: int) -> HttpResponse:
    member = selectors.get_member_for(request.user, member_id)
    return HttpResponse(avatar_svg(str(member.pk), member.name), content_type="image/svg+xml")


@login_required
def profile_edit_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role != Role.MEMBER:
        return redirect("home")
    profile = user.profile
    initial_skills = [
        {"name": ps.skill.name, "level": ps.level, "years": ps.years}
        for ps in profile.skills.select_related("skill")
    ]
    form = ProfileForm(
        request.POST or None,
        instance=profile,
        initial={"name": user.name, "time_zone": user.time_zone, "links": profile.links},
    )
    formset = SkillFormSet(request.POST or None, initial=initial_skills, prefix="skills")
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            try:
                with transaction.atomic():
                    entries: dict[int, services.SkillEntry] = {}
                    for row in formset.cleaned_data:
                        if row.get("name", "").strip():
                            skill = resolve_skill(row["name"], actor=user)
                            entries[skill.pk] = services.SkillEntry(
                                skill=skill, level=row["level"], years=row["years"]
                            )
                    fields = {
                        k: v for k, v in form.cleaned_data.items() if k not in ("name", "time_zone")
                    }
                    services.update_profile(
                        user, profile, name=form.cleaned_data["name"],
                        time_zone=form.cleaned_data["time_zone"], skills=list(entries.values()),
                        **fields,
                    )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("members:profile", member_id=user.pk)
        status = 400
    else:
        status = 200
    return render(
        request, "members/profile_edit.html", {"form": form, "formset": formset}, status=status
    )
