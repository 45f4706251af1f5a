"""Every write about member-created groups: creating, joining, leaving, inviting, removing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.conversations import mentions
from townsquare.conversations.models import Group, GroupInvitation, GroupMembership
from townsquare.conversations.notifications import notify
from townsquare.conversations.square_selectors import can_post
from townsquare.conversations.square_services import one_line
from townsquare.lib import ratelimit
from townsquare.members.models import User

INVITATIONS_PER_DAY = 50


def group_url(group: Group) -> str:
    return reverse("conversations:group", kwargs={"group_id": group.pk})


def _require_poster(actor: User) -> None:
    if not can_post(actor):
        raise PermissionError("clients and applicants do not take part in groups")


def _membership(group: Group, user: User) -> GroupMembership | None:
    return GroupMembership.objects.filter(group=group, user=user).first()


@transaction.atomic
def create_group(
    actor: User, *, name: str, description: str = "", access: str = Group.Access.OPEN
) -> Group:
    """Creates the group with the actor as its owner."""
    _require_poster(actor)
    name = one_line(name)
    if not name:
        raise ValidationError({"name": [_("A group needs a name.")]})
    if access not in Group.Access.values:
        raise ValidationError({"access": [_("Choose open or invite-only.")]})
    if Group.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": [_("There is a group with this name already.")]})
    if not ratelimit.hit("square-group", str(actor.pk), 5, 24 * 60 * 60).allowed:
        raise ValidationError(_("You have created several groups today; try again tomorrow."))
    try:
        with transaction.atomic():
            group = Group.objects.create(
                name=name[:80], description=(description or "").strip()[:500], access=access,
                created_by=actor,
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError({"name": [_("There is a group with this name already.")]}) from None
    GroupMembership.objects.create(group=group, user=actor, role=GroupMembership.Role.OWNER)
    return group


@transaction.atomic
def join_group(actor: User, group: Group) -> GroupMembership:
    """Joins an open group, or an invite-only one the actor holds an invitation to."""
    _require_poster(actor)
    existing = _membership(group, actor)
    if existing is not None:
        return existing
    invitation = GroupInvitation.objects.filter(
        group=group, invitee=actor, status=GroupInvitation.Status.PENDING
    ).first()
    if not group.is_open and invitation is None:
        raise PermissionError("invite-only group")
    membership, _created = GroupMembership.objects.get_or_create(group=group, user=actor)
    if invitation is not None:
        invitation.status = GroupInvitation.Status.ACCEPTED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
    return membership


@transaction.atomic
def leave_group(actor: User, group: Group) -> None:
    """Leaves the group; an owner who leaves hands ownership to the longest-standing member."""
    membership = _membership(group, actor)
    if membership is None:
        return
    membership.delete()
    if membership.role == GroupMembership.Role.OWNER:
        owners = GroupMembership.objects.filter(group=group, role=GroupMembership.Role.OWNER)
        if not owners.exists():
            heir = GroupMembership.objects.filter(group=group).order_by("joined_at", "id").first()
            if heir is not None:
                heir.role = GroupMembership.Role.OWNER
                heir.save(update_fields=["role"])


@transaction.atomic
def invite_to_group(actor: User, group: Group, invitee: User) -> GroupInvitation:
    """Invites someone the actor may mention; they are notified and accept or decline.

    Any member of the group may invite (that is how invite-only groups grow).
    """
    _require_poster(actor)
    if _membership(group, actor) is None:
        raise PermissionError("only members invite")
    # Whom one may invite is whom one may mention: seen by the actor, not blocked, no client.
    if not mentions.mentionable(actor, None).filter(pk=invitee.pk).exists():
        raise ValidationError({"member": [_("We could not find that member.")]})
    if _membership(group, invitee) is not None:
        raise ValidationError(
            {"member": [_("%(name)s is in the group already.") % {"name": invitee.name}]}
        )
    if GroupInvitation.objects.filter(
        group=group, invitee=invitee, status=GroupInvitation.Status.PENDING
    ).exists():
        raise ValidationError(
            {"member": [_("%(name)s is invited already.") % {"name": invitee.name}]}
        )
    if not ratelimit.hit("square-invite", str(actor.pk), INVITATIONS_PER_DAY, 24 * 60 * 60).allowed:
        raise ValidationError(_("You have sent many invitations today; try again tomorrow."))
    try:
        with transaction.atomic():
            invitation = GroupInvitation.objects.create(
                group=group, invitee=invitee, invited_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            {"member": [_("%(name)s is invited already.") % {"name": invitee.name}]}
        ) from None
    notify(
        invitee,
        "group_invitation",
        text=_("%(name)s invites you to the group “%(group)s”")
        % {"name": actor.name, "group": group.name},
        url=group_url(group),
        actor=actor,
    )
    return invitation


@transaction.atomic
def respond_to_invitation(actor: User, invitation: GroupInvitation, *, accept: bool) -> None:
    if invitation.invitee_id != actor.pk:
        raise PermissionError("not your invitation")
    if invitation.status != GroupInvitation.Status.PENDING:
        raise ValidationError(_("This invitation was answered already."))
    if accept:
        join_group(actor, invitation.group)
    else:
        invitation.status = GroupInvitation.Status.DECLINED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])


@transaction.atomic
def remove_group_member(actor: User, group: Group, member: User) -> None:
    """An owner removes a member (not another owner; owners leave by themselves)."""
    mine = _membership(group, actor)
    if mine is None or mine.role != GroupMembership.Role.OWNER:
        raise PermissionError("owners only")
    theirs = _membership(group, member)
    if theirs is None or member.pk == actor.pk:
        raise ValidationError(_("That person is not a member you can remove."))
    if theirs.role == GroupMembership.Role.OWNER:
        raise ValidationError(_("Owners cannot remove other owners."))
    theirs.delete()
