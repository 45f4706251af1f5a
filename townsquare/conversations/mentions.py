"""@mentions in Square posts: finding them, resolving them to people, rendering them as links.

Two spellings name a person (docs/square.md):

- `@[Alice Archer](42)` — what the composer's autocomplete inserts: exact, by member id;
- `@AliceArcher` — the name without spaces, in any case; typed by hand (no JavaScript). It
  resolves only when exactly one person the author may mention has that name.

A mention resolves only to someone the author may see and who may read the thread; anyone
else stays plain text, is not notified and gets no Mention row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Lower, Replace
from django.urls import reverse

from townsquare.conversations.models import Group, GroupMembership, Thread
from townsquare.lib.markdown import render_markdown
from townsquare.members.models import Role, User, Visibility
from townsquare.members.selectors import blocked_between, connection_ids

MAX_MENTIONS = 20

MENTION_RE = re.compile(
    r"@\[(?P<name>[^\]\n]{1,120})\]\((?P<id>\d{1,12})\)"
    r"|(?<![\w@/.\\])@(?P<handle>[^\W_][\w.'\-]{0,119})"
)
# Code is quoted text: a mention inside it is not one.
CODE_RE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


def squash(name: str) -> str:
    """A name as a handle: without spaces, lower case ("Alice Archer" → "alicearcher")."""
    return name.replace(" ", "").lower()


@dataclass(frozen=True)
class Ref:
    """One way a post names someone: ("id", "42") or ("handle", "alicearcher")."""

    kind: str
    value: str


def _segments(body: str) -> Iterable[tuple[str, bool]]:
    """The body cut into (text, is_code) pieces."""
    start = 0
    for match in CODE_RE.finditer(body):
        yield body[start : match.start()], False
        yield match.group(0), True
        start = match.end()
    yield body[start:], False


def _ref(match: re.Match[str]) -> Ref:
    if match.group("id"):
        return Ref("id", match.group("id"))
    return Ref("handle", squash(match.group("handle").rstrip(".'-")))


def find_refs(body: str) -> list[Ref]:
    """Every mention in the body outside code, in order, without repeats."""
    refs: dict[Ref, None] = {}
    for text, is_code in _segments(body):
        if not is_code:
            for match in MENTION_RE.finditer(text):
                refs[_ref(match)] = None
    return list(refs)[: MAX_MENTIONS * 2]


def mentionable(author: User, thread: Thread | None, group: Group | None = None) -> QuerySet:
    """People `author` may mention in this thread: seen by them, and able to read it.

    Admitted, active members whose profile the author may see, and community managers;
    never clients (they do not take part), never anyone blocked either way.
    """
    tier = Visibility.CONNECTIONS if author.is_manager else Visibility.MEMBERS
    seen = Q(role__in=(Role.MANAGER, Role.ADMIN)) | Q(
        role=Role.MEMBER, profile__profile_visibility__lte=tier
    )
    if tier < Visibility.CONNECTIONS:
        pairs = connection_ids(author)
        connected = ({a for a, _ in pairs} | {b for _, b in pairs}) - {author.pk}
        if connected:
            seen |= Q(
                role=Role.MEMBER,
                profile__profile_visibility=Visibility.CONNECTIONS,
                pk__in=connected,
            )
    people = User.objects.filter(seen, is_active=True, admitted_at__isnull=False).exclude(
        pk__in=blocked_between(author)
    )
    group = group or (thread.group if thread is not None else None)
    if group is not None and not group.is_open:
        people = people.filter(pk__in=GroupMembership.objects.filter(group=group).values("user_id"))
    return people


def resolve(
    author: User, refs: list[Ref], thread: Thread | None, group: Group | None = None
) -> dict[Ref, User]:
    """The refs that name exactly one person the author may mention, in one query."""
    ids = {int(r.value) for r in refs if r.kind == "id"}
    handles = {r.value for r in refs if r.kind == "handle"}
    if not ids and not handles:
        return {}
    people = mentionable(author, thread, group).annotate(
        handle=Lower(Replace("name", Value(" "), Value("")))
    )
    found = list(people.filter(Q(pk__in=ids) | Q(handle__in=handles)).only("pk", "name", "role"))
    by_id = {u.pk: u for u in found}
    by_handle: dict[str, list[User]] = {}
    for user in found:
        by_handle.setdefault(squash(user.name), []).append(user)
    resolved: dict[Ref, User] = {}
    for ref in refs:
        if ref.kind == "id" and int(ref.value) in by_id:
            resolved[ref] = by_id[int(ref.value)]
        elif ref.kind == "handle" and len(by_handle.get(ref.value, [])) == 1:
            resolved[ref] = by_handle[ref.value][0]
    return resolved


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def render_body(body: str, resolved: dict[Ref, User]) -> str:
    """Markdown → sanitised HTML, with resolved mentions as links to the person."""

    def replace(match: re.Match[str]) -> str:
        user = resolved.get(_ref(match))
        if user is None:
            # An unresolved exact mention shows its name, never a link made of its id.
            return "@" + _escape(match.group("name")) if match.group("id") else match.group(0)
        label = "@" + _escape(user.name)
        handle = match.group("handle") or ""
        tail = handle[len(handle.rstrip(".'-")) :]  # "@AliceArcher." ends a sentence
        if user.role == Role.MEMBER:
            url = reverse("members:profile", kwargs={"member_id": user.pk})
            return f"[{label}]({url}){tail}"
        return f"**{label}**{tail}"

    source = "".join(
        text if is_code else MENTION_RE.sub(replace, text) for text, is_code in _segments(body)
    )
    return render_markdown(source)


def resolve_person(author: User, text: str) -> User | None:
    """One person the author may mention, named as in a post ("@AliceArcher",
    "@[Alice Archer](42)") or by their full name ("Alice Archer")."""
    text = (text or "").strip()
    if not text:
        return None
    exact = MENTION_RE.fullmatch(text)
    if exact is not None and exact.group("id"):
        ref = Ref("id", exact.group("id"))
    else:
        ref = Ref("handle", squash(text.lstrip("@")))
    return resolve(author, [ref], None).get(ref)


def get_mentionable_for(author: User, member_id: int) -> User:
    """Someone the author may mention (and so invite), by id; Http404 otherwise."""
    from django.http import Http404

    try:
        return mentionable(author, None).get(pk=member_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
