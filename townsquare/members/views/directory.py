"""The member directory: search by text, skill, availability, rate and time-zone window."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from townsquare.members import selectors
from townsquare.members.access import community_required
from townsquare.members.forms import DirectoryForm
from townsquare.skills.services import find_skill

PER_PAGE = 20


@community_required
def directory_view(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    page = None
    skill = None
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        skill_ids: tuple[int, ...] = ()
        skill_text = form.cleaned_data.get("skill", "") if form.is_bound else ""
        if skill_text:
            skill = find_skill(skill_text)
            # An unknown skill matches nobody rather than being silently ignored.
            skill_ids = (skill.pk,) if skill else (-1,)
        filters = form.filters(skill_ids) if form.is_bound else selectors.DirectoryFilters()
        number = form.cleaned_data.get("page") or 1 if form.is_bound else 1
        page = selectors.search_directory(request.user, filters, page=number, per_page=PER_PAGE)
        selectors.attach_skills(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "skill": skill, "query": query.urlencode()}
    return render(request, "members/directory.html", context, status=status)
