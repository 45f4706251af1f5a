"""Every write about ties between members: connections, follows, blocks, introductions.

Each tie added or removed writes a `GraphChange` row in the same transaction, so the graph
engine of every process (runtime.py) replays exactly what the database committed.
Notifications go through `notify()`, which publishes after the commit.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.conversations.notifications import notify
from townsquare.conversations.services import start_intro_conversation
from townsquare.fabric import figures, selectors
from townsquare.fabric.models import (
    Block,
    Connection,
    ConnectionRequest,
    FabricSnapshot,
    Follow,
    GraphChange,
    Introduction,
    SuggestionDismissal,
)
from townsquare.members.models import User
from townsquare.pulse.services import record_audit

# New members (admitted less than NEW_MEMBER_DAYS ago) send a limited number of connection
# requests per rolling day; settings.FABRIC_NEW_MEMBER_REQUESTS_PER_DAY overrides the default.
NEW_MEMBER_DAYS = 14
NEW_MEMBER_REQUESTS_PER_DAY = 10
# Open introductions one member may have asked for at once.
MAX_OPEN_INTROS = 20
MAX_NOTE = 1000

OPEN_INTRO = (Introduction.Status.ASKED, Introduction.Status.FORWARDED)
# What a snapshot keeps beyond its columns, for the fabric view's map and tables.
SNAPSHOT_DATA = ("communities", "community_ties", "bridges", "degrees", "unlisted_communities")


def new_member_request_limit() -> int:
    return int(getattr(settings, "FABRIC_NEW_MEMBER_REQUESTS_PER_DAY", NEW_MEMBER_REQUESTS_PER_DAY))


# Helpers --------------------------------------------------------------------------------


def _require_member(user: User) -> None:
    """The actor of a member-to-member action is an admitted, active member."""
    if not selectors.is_fabric_member(user):
        raise PermissionError("Only admitted members weave ties.")


def _check_other(actor: User, other: User) -> None:
    if actor.pk == other.pk:
        raise ValidationError(_("You cannot do this with yourself."))
    if not selectors.is_fabric_member(other):
        raise ValidationError(_("Only admitted members can be connected."))


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": [_("At most %(n)d characters.") % {"n": MAX_NOTE}]})
    return note


def _blocked(a_id: int, b_id: int) -> bool:
    return Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


def _pair(a_id: int, b_id: int) -> tuple[int, int]:
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def _add_tie(a_id: int, b_id: int) -> bool:
    """Connects two members (recording the change); False when they already were."""
    low, high = _pair(a_id, b_id)
    _connection, created = Connection.objects.get_or_create(member_a_id=low, member_b_id=high)
    if created:
        GraphChange.objects.create(member_a=low, member_b=high, added=True)
    # Requests either way are answered by the tie itself.
    ConnectionRequest.objects.filter(
        Q(sender_id=a_id, recipient_id=b_id) | Q(sender_id=b_id, recipient_id=a_id),
        status=ConnectionRequest.Status.PENDING,
    ).update(status=ConnectionRequest.Status.ACCEPTED, responded_at=timezone.now())
    return created


def _remove_tie(a_id: int, b_id: int) -> bool:
    low, high = _pair(a_id, b_id)
    deleted, _rows = Connection.objects.filter(member_a_id=low, member_b_id=high).delete()
    if deleted:
        GraphChange.objects.create(member_a=low, member_b=high, added=False)
    return bool(deleted)


def _people_url() -> str:
    return reverse("fabric:people")


def _intro_url(intro: Introduction) -> str:
    return reverse("fabric:intro", kwargs={"intro_id": intro.pk})


# Connections ----------------------------------------------------------------------------


def _check_daily_limit(actor: User) -> None:
    now = timezone.now()
    if actor.admitted_at is None or actor.admitted_at <= now - timedelta(days=NEW_MEMBER_DAYS):
        return
    limit = new_member_request_limit()
    sent = ConnectionRequest.objects.filter(
        sender=actor, created_at__gte=now - timedelta(days=1)
    ).count()
    if sent >= limit:
        raise ValidationError(
            _(
                "In your first %(days)d days you can send %(limit)d connection requests a "
                "day. You have reached today's; try again tomorrow."
            )
            % {"days": NEW_MEMBER_DAYS, "limit": limit}
        )


@transaction.atomic
def request_connection(actor: User, target: User, note: str = "") -> ConnectionRequest:
    """Asks `target` to connect.

    1. Both are admitted members, different people, with no block between them and no tie.
    2. A request `target` already sent to `actor` is accepted instead of being mirrored.
    3. One pending request per direction; new members send a limited number a day (the
       actor's row is locked so two requests at once cannot both slip under the limit).
    4. The recipient is notified.
    """
    _require_member(actor)
    _check_other(actor, target)
    note = _clean_note(note)
    User.objects.select_for_update().filter(pk=actor.pk).exists()
    if _blocked(actor.pk, target.pk):
        raise ValidationError(_("You cannot connect with this member."))
    if selectors.are_connected_ids(actor.pk, target.pk):
        raise ValidationError(_("You are already connected."))
    mirrored = ConnectionRequest.objects.filter(
        sender=target, recipient=actor, status=ConnectionRequest.Status.PENDING
    ).first()
    if mirrored is not None:
        return accept_connection_request(actor, mirrored)
    already = _("You have already asked %(name)s to connect.") % {"name": target.name}
    if ConnectionRequest.objects.filter(
        sender=actor, recipient=target, status=ConnectionRequest.Status.PENDING
    ).exists():
        raise ValidationError(already)
    _check_daily_limit(actor)
    try:
        with transaction.atomic():
            request = ConnectionRequest.objects.create(sender=actor, recipient=target, note=note)
    except IntegrityError:
        raise ValidationError(already) from None
    notify(
        target, "connection_request", actor=actor, url=_people_url() + "#requests",
        text=_("%(name)s asks to connect with you.") % {"name": actor.name},
    )  # fmt: skip
    return request


def _lock_pending(request: ConnectionRequest) -> ConnectionRequest:
    locked = ConnectionRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ConnectionRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered or withdrawn."))
    return locked


def _close_pending(request: ConnectionRequest, status: str) -> ConnectionRequest:
    """Locks a still-pending request and closes it with `status` (declined or withdrawn)."""
    request = _lock_pending(request)
    request.status = status
    request.responded_at = timezone.now()
    request.save(update_fields=["status", "responded_at"])
    return request


@transaction.atomic
def accept_connection_request(actor: User, request: ConnectionRequest) -> ConnectionRequest:
    """The recipient accepts: the two are connected and the sender is told."""
    if request.recipient_id != actor.pk:
        raise PermissionError("Only the recipient answers a connection request.")
    request = _lock_pending(request)
    if _blocked(request.sender_id, request.recipient_id):
        raise ValidationError(_("You cannot connect with this member."))
    _add_tie(request.sender_id, request.recipient_id)
    request.refresh_from_db(fields=["status", "responded_at"])
    sender = User.objects.get(pk=request.sender_id)
    notify(
        sender, "connection_accepted", actor=actor,
        url=reverse("members:profile", kwargs={"member_id": actor.pk}),
        text=_("%(name)s accepted your request to connect.") % {"name": actor.name},
    )  # fmt: skip
    return request


@transaction.atomic
def decline_connection_request(actor: User, request: ConnectionRequest) -> ConnectionRequest:
    """The recipient declines; the sender is not told (a soft no), the request just closes."""
    if request.recipient_id != actor.pk:
        raise PermissionError("Only the recipient answers a connection request.")
    return _close_pending(request, ConnectionRequest.Status.DECLINED)


@transaction.atomic
def withdraw_connection_request(actor: User, request: ConnectionRequest) -> ConnectionRequest:
    if request.sender_id != actor.pk:
        raise PermissionError("Only the sender withdraws a connection request.")
    return _close_pending(request, ConnectionRequest.Status.WITHDRAWN)


@transaction.atomic
def remove_connection(actor: User, other: User) -> None:
    """Ends a connection, from either side; the other person is not told."""
    if not _remove_tie(actor.pk, other.pk):
        raise ValidationError(_("You are not connected."))


@transaction.atomic
def connect_members(a: User, b: User) -> bool:
    """Records a tie both people already have elsewhere (import_connections); no request.

    False when they were already connected; ValidationError when they cannot be.
    """
    _check_other(a, b)
    if not selectors.is_fabric_member(a):
        raise ValidationError(_("Only admitted members can be connected."))
    if _blocked(a.pk, b.pk):
        raise ValidationError(_("One of them has blocked the other."))
    return _add_tie(a.pk, b.pk)


# Follows and blocks ---------------------------------------------------------------------


@transaction.atomic
def follow(actor: User, target: User) -> Follow:
    """Follows a member's public activity (one-way, no consent needed); idempotent."""
    _require_member(actor)
    _check_other(actor, target)
    if _blocked(actor.pk, target.pk):
        raise ValidationError(_("You cannot follow this member."))
    row, _created = Follow.objects.get_or_create(follower=actor, followee=target)
    return row


@transaction.atomic
def unfollow(actor: User, target: User) -> None:
    Follow.objects.filter(follower=actor, followee=target).delete()


@transaction.atomic
def block(actor: User, target: User) -> Block:
    """Blocks `target`: hides both from each other and ends everything open between them.

    1. Record the block (idempotent).
    2. End their connection (recording the graph change).
    3. Close pending connection requests both ways (the actor's own are withdrawn, the
       target's declined), remove follows both ways.
    4. Withdraw open introductions in which both take part, whatever their roles.
    """
    _require_member(actor)
    if actor.pk == target.pk:
        raise ValidationError(_("You cannot block yourself."))
    row, _created = Block.objects.get_or_create(blocker=actor, blocked=target)
    _remove_tie(actor.pk, target.pk)
    now = timezone.now()
    pending = ConnectionRequest.objects.filter(status=ConnectionRequest.Status.PENDING)
    pending.filter(sender=actor, recipient=target).update(
        status=ConnectionRequest.Status.WITHDRAWN, responded_at=now
    )
    pending.filter(sender=target, recipient=actor).update(
        status=ConnectionRequest.Status.DECLINED, responded_at=now
    )
    Follow.objects.filter(
        Q(follower=actor, followee=target) | Q(follower=target, followee=actor)
    ).delete()
    both = Q()
    for first, second in (
        ("requester", "target"),
        ("requester", "introducer"),
        ("introducer", "target"),
    ):
        both |= Q(**{first: actor, second: target}) | Q(**{first: target, second: actor})
    Introduction.objects.filter(both, status__in=OPEN_INTRO).update(
        status=Introduction.Status.WITHDRAWN, responded_at=now
    )
    return row


@transaction.atomic
def unblock(actor: User, target: User) -> None:
    """Lifts the actor's block; what the block ended stays ended."""
    Block.objects.filter(blocker=actor, blocked=target).delete()


@transaction.atomic
def dismiss_suggestion(actor: User, suggested: User) -> SuggestionDismissal:
    """`suggested` is not shown in the actor's people-you-may-know again."""
    if actor.pk == suggested.pk:
        raise ValidationError(_("You cannot do this with yourself."))
    row, _created = SuggestionDismissal.objects.get_or_create(user=actor, suggested=suggested)
    return row


# Introductions --------------------------------------------------------------------------


def _lock_intro(intro: Introduction, *statuses: str) -> Introduction:
    locked = Introduction.objects.select_for_update().get(pk=intro.pk)
    if locked.status not in statuses:
        raise ValidationError(_("This introduction is no longer waiting for you."))
    return locked


@transaction.atomic
def ask_for_intro(requester: User, target: User, note: str = "") -> Introduction:
    """Asks the first person on the shortest trusted path to `target` for an introduction.

    1. The requester and target are admitted members, not connected, not blocked either
       way, with no open introduction between them; the requester has fewer than
       MAX_OPEN_INTROS open ones.
    2. The path comes from the graph engine, around hidden and blocked members; it has at
       least three people (requester, introducer, …, target).
    3. The introducer (the path's second person) is notified.
    """
    _require_member(requester)
    _check_other(requester, target)
    note = _clean_note(note)
    if _blocked(requester.pk, target.pk):
        raise ValidationError(_("You cannot ask for an introduction to this member."))
    if selectors.are_connected_ids(requester.pk, target.pk):
        raise ValidationError(_("You are already connected with %(name)s.") % {"name": target.name})
    open_intros = Introduction.objects.filter(requester=requester, status__in=OPEN_INTRO)
    if open_intros.filter(target=target).exists():
        raise ValidationError(
            _("You have already asked for an introduction to %(name)s.") % {"name": target.name}
        )
    if open_intros.count() >= MAX_OPEN_INTROS:
        raise ValidationError(
            _("You have %(n)d introductions waiting; let some of them finish first.")
            % {"n": MAX_OPEN_INTROS}
        )
    path = selectors.intro_path(requester, target)
    if path is None or len(path) < 3:
        raise ValidationError(
            _("No chain of connections leads to %(name)s yet.") % {"name": target.name}
        )
    introducer = User.objects.get(pk=path[1])
    try:
        with transaction.atomic():
            intro = Introduction.objects.create(
                requester=requester, introducer=introducer, target=target, path=path,
                request_note=note,
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError(
            _("You have already asked for an introduction to %(name)s.") % {"name": target.name}
        ) from None
    notify(
        introducer, "intro_requested", actor=requester, url=_intro_url(intro),
        text=_("%(requester)s asks you to introduce them to %(target)s.")
        % {"requester": requester.name, "target": target.name},
    )  # fmt: skip
    return intro


@transaction.atomic
def forward_intro(introducer: User, intro: Introduction, note: str = "") -> Introduction:
    """The introducer passes the introduction on, with a note.

    The rest of the way is looked up again from the introducer (ties change while an
    introduction waits). When the next person is the target, the introduction is forwarded
    and the target decides; otherwise it is handed to the next person on the path, who is
    asked in turn.
    """
    if intro.introducer_id != introducer.pk:
        raise PermissionError("Only the person asked forwards an introduction.")
    note = _clean_note(note)
    intro = _lock_intro(intro, Introduction.Status.ASKED)
    path = [int(pk) for pk in intro.path]
    position = path.index(introducer.pk) if introducer.pk in path else 1
    walked = path[:position]
    rest = selectors.path_onward(introducer, intro.target, requester=intro.requester, avoid=walked)
    if rest is None:
        raise ValidationError(
            _("There is no longer a chain of connections from you to %(name)s.")
            % {"name": intro.target.name}
        )
    intro.path = [*walked, *rest]
    intro.forward_note = note
    requester, target = intro.requester, intro.target
    if len(rest) == 2:
        intro.status = Introduction.Status.FORWARDED
        intro.forwarded_at = timezone.now()
        intro.save(update_fields=["path", "forward_note", "status", "forwarded_at"])
        notify(
            target, "intro_forwarded", actor=introducer, url=_intro_url(intro),
            text=_("%(introducer)s introduces you to %(requester)s.")
            % {"introducer": introducer.name, "requester": requester.name},
        )  # fmt: skip
        return intro
    following = User.objects.get(pk=rest[1])
    intro.introducer = following
    intro.save(update_fields=["path", "forward_note", "introducer"])
    notify(
        following, "intro_requested", actor=introducer, url=_intro_url(intro),
        text=_("%(introducer)s asks you to pass on %(requester)s's introduction to %(target)s.")
        % {"introducer": introducer.name, "requester": requester.name, "target": target.name},
    )  # fmt: skip
    return intro


@transaction.atomic
def decline_to_forward(introducer: User, intro: Introduction) -> Introduction:
    """The introducer does not pass it on; the requester sees it on their page, unnotified."""
    if intro.introducer_id != introducer.pk:
        raise PermissionError("Only the person asked declines to forward.")
    intro = _lock_intro(intro, Introduction.Status.ASKED)
    intro.status = Introduction.Status.NOT_FORWARDED
    intro.responded_at = timezone.now()
    intro.save(update_fields=["status", "responded_at"])
    return intro


@transaction.atomic
def accept_intro(target: User, intro: Introduction, *, connect: bool = False) -> Introduction:
    """The target accepts: the three share a conversation; with `connect` the two connect.

    Asking for the introduction was the requester's wish to connect, so the target's
    `connect` completes the double opt-in without a separate request.
    """
    if intro.target_id != target.pk:
        raise PermissionError("Only the target accepts an introduction.")
    intro = _lock_intro(intro, Introduction.Status.FORWARDED)
    requester, introducer = intro.requester, intro.introducer
    if _blocked(requester.pk, target.pk):
        raise ValidationError(_("This introduction is no longer possible."))
    intro.conversation = start_intro_conversation(introducer, requester, target)
    intro.status = Introduction.Status.ACCEPTED
    intro.responded_at = timezone.now()
    intro.save(update_fields=["conversation", "status", "responded_at"])
    if connect:
        _add_tie(requester.pk, target.pk)
    text = _("%(target)s accepted the introduction to %(requester)s.") % {
        "target": target.name, "requester": requester.name,
    }  # fmt: skip
    for person in (requester, introducer):
        notify(person, "intro_accepted", actor=target, url=_intro_url(intro), text=text)
    return intro


@transaction.atomic
def decline_intro(target: User, intro: Introduction) -> Introduction:
    if intro.target_id != target.pk:
        raise PermissionError("Only the target declines an introduction.")
    intro = _lock_intro(intro, Introduction.Status.FORWARDED)
    intro.status = Introduction.Status.DECLINED
    intro.responded_at = timezone.now()
    intro.save(update_fields=["status", "responded_at"])
    return intro


@transaction.atomic
def withdraw_intro(requester: User, intro: Introduction) -> Introduction:
    if intro.requester_id != requester.pk:
        raise PermissionError("Only the requester withdraws an introduction.")
    intro = _lock_intro(intro, *OPEN_INTRO)
    intro.status = Introduction.Status.WITHDRAWN
    intro.responded_at = timezone.now()
    intro.save(update_fields=["status", "responded_at"])
    return intro


@transaction.atomic
def weave_introduction(manager: User, newcomer: User, member: User, note: str = "") -> Introduction:
    """A community manager introduces a weakly tied newcomer to a well-connected member.

    The manager is the introducer (they know both, and the community's host vouching for a
    newcomer carries weight a stranger's ask would not), so the introduction starts
    forwarded: `member` accepts or declines, as with any introduction; the newcomer is the
    requester and may withdraw it.
    """
    if not manager.is_manager:
        raise PermissionError("Only community managers weave introductions.")
    _check_other(newcomer, member)
    if not selectors.is_fabric_member(newcomer):
        raise ValidationError(_("Only admitted members can be introduced."))
    note = _clean_note(note)
    if _blocked(newcomer.pk, member.pk) or selectors.are_connected_ids(newcomer.pk, member.pk):
        raise ValidationError(_("These two cannot be introduced."))
    if Introduction.objects.filter(
        Q(requester=newcomer, target=member) | Q(requester=member, target=newcomer),
        status__in=OPEN_INTRO,
    ).exists():
        raise ValidationError(_("An introduction between these two is already open."))
    now = timezone.now()
    intro = Introduction.objects.create(
        requester=newcomer, introducer=manager, target=member,
        path=[newcomer.pk, manager.pk, member.pk], status=Introduction.Status.FORWARDED,
        forward_note=note, forwarded_at=now, woven_by=manager,
    )  # fmt: skip
    url = _intro_url(intro)
    notify(
        member, "intro_forwarded", actor=manager, url=url,
        text=_("%(manager)s introduces you to %(newcomer)s, new in the community.")
        % {"manager": manager.name, "newcomer": newcomer.name},
    )  # fmt: skip
    notify(
        newcomer, "intro_forwarded", actor=manager, url=url,
        text=_("%(manager)s introduces you to %(member)s.")
        % {"manager": manager.name, "member": member.name},
    )  # fmt: skip
    record_audit(
        manager, "fabric.weave", intro, data={"newcomer": newcomer.pk, "member": member.pk}
    )
    return intro


# Snapshots ------------------------------------------------------------------------------


@transaction.atomic
def take_fabric_snapshot(
    day: date | None = None, *, computed: dict[str, Any] | None = None
) -> FabricSnapshot:
    """Records (or refreshes) the fabric's figures for `day` (today in UTC by default)."""
    day = day or timezone.now().date()
    values = computed if computed is not None else figures.fabric_figures()
    snapshot, _created = FabricSnapshot.objects.update_or_create(
        day=day,
        defaults={
            "members": values["members"],
            "ties": values["ties"],
            "average_degree": values["average_degree"],
            "clustering": values["clustering"],
            "isolated_share": values["isolated_share"],
            "weak_share": values["weak_share"],
            "communities": len(values["communities"]),
            "data": {k: values[k] for k in SNAPSHOT_DATA},
        },
    )
    return snapshot


@transaction.atomic
def request_graph_rebuild() -> None:
    """Asks every process to rebuild its graph from scratch on next use.

    For writes that bypass the services (a seed, a bulk load): a change row with
    member_a == member_b == 0 is the agreed marker (runtime.REBUILD_MARKER).
    """
    GraphChange.objects.create(member_a=0, member_b=0, added=False)
