"""Direct and group conversations, the Square (topics, threads, posts), groups, notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class Conversation(models.Model):
    """A private conversation between two or more people."""

    class Kind(models.TextChoices):
        DIRECT = "direct", _("Direct")
        GROUP = "group", _("Group")
        INTRO = "intro", _("Introduction")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=120, blank=True, default="")
    # "lowid:highid" for direct conversations, so a pair has exactly one.
    direct_key = models.CharField(max_length=41, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} #{self.pk}"


class Participant(models.Model):
    """Someone in a conversation, with how far they have read."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="participations")
    last_read_id = models.BigIntegerField(default=0)
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="conv_participant_once")
        ]
        indexes = [models.Index(fields=["user", "conversation"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"


class Message(models.Model):
    """One message; ids grow with time, so clients resync with `after=<id>`."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["conversation", "id"])]

    def __str__(self) -> str:
        return f"Message #{self.pk}"


class Notification(models.Model):
    """Something a member should know about, shown in-app and optionally emailed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "read_at", "id"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class NotificationPreference(models.Model):
    """A member's choice for one kind of notification: in-app, email, both or neither."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="conv_notification_pref_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}"


# The Square ------------------------------------------------------------------------------


class Topic(models.Model):
    """A section of the Square that community managers set up ("Introductions", "Rates")."""

    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True, default="")
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name", "id"]
        constraints = [
            models.UniqueConstraint(models.functions.Lower("name"), name="square_topic_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A member-created circle with its own threads: open to all, or by invitation."""

    class Access(models.TextChoices):
        OPEN = "open", _("Open: anyone in the community may join")
        INVITE = "invite", _("Invite-only: members invite people in")

    name = models.CharField(max_length=80)
    description = models.CharField(max_length=500, blank=True, default="")
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.OPEN)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(models.functions.Lower("name"), name="square_group_name_once")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.access == self.Access.OPEN


class GroupMembership(models.Model):
    """Someone in a group; owners manage its members."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="square_group_member_once")
        ]
        indexes = [models.Index(fields=["user", "group"])]

    def __str__(self) -> str:
        return f"{self.user_id} in group {self.group_id}"


class GroupInvitation(models.Model):
    """A member's invitation of someone into a group; the invitee accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    invitee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="group_invitations")
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "invitee"],
                condition=models.Q(status="pending"),
                name="square_one_pending_invitation",
            )
        ]
        indexes = [models.Index(fields=["invitee", "status"])]

    def __str__(self) -> str:
        return f"{self.invitee_id} invited to group {self.group_id} ({self.status})"


class Thread(models.Model):
    """A conversation in the Square: in exactly one topic or one group, first post included."""

    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="threads"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(max_length=160)
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="square_threads")
    created_at = models.DateTimeField(auto_now_add=True)
    # Kept by the services on every visible post, so lists sort and show without joins.
    last_post_at = models.DateTimeField(null=True, blank=True)
    last_post_id = models.BigIntegerField(default=0)
    last_poster = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post_count = models.PositiveIntegerField(default=0)
    is_pinned = models.BooleanField(default=False)
    pinned_at = models.DateTimeField(null=True, blank=True)
    # Moderation: hidden threads are shown to community managers only.
    hidden = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(topic__isnull=False) & models.Q(group__isnull=True))
                | (models.Q(topic__isnull=True) & models.Q(group__isnull=False)),
                name="square_thread_in_topic_xor_group",
            )
        ]
        indexes = [
            models.Index(fields=["topic", "is_pinned", "last_post_at"]),
            models.Index(fields=["group", "is_pinned", "last_post_at"]),
            models.Index(fields=["last_post_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """One post in a thread, Markdown kept with its sanitised HTML; the first one opens it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="square_posts")
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["thread", "id"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"Post #{self.pk}"


class Reaction(models.Model):
    """One member's reaction to a post, from a small fixed set."""

    class Emoji(models.TextChoices):
        THUMBS_UP = "thumbs_up", "👍"
        HEART = "heart", "❤️"
        TADA = "tada", "🎉"
        SMILE = "smile", "😄"
        THINKING = "thinking", "🤔"
        EYES = "eyes", "👀"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=12, choices=Emoji.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "emoji"], name="square_reaction_once")
        ]
        indexes = [models.Index(fields=["post", "emoji"]), models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.emoji} by {self.user_id} on {self.post_id}"


class Mention(models.Model):
    """A member named in a post with @; they are notified once per post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="square_mentions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="square_mention_once")]

    def __str__(self) -> str:
        return f"{self.user_id} in post {self.post_id}"


class ThreadWatch(models.Model):
    """A member taking part in a thread: how far they read, and their pending reply notice."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="thread_watches")
    last_read_post_id = models.BigIntegerField(default=0)
    # Set when a reply notice went out; cleared when the member reads the thread (or the
    # in-app notice), so a busy thread sends one notice until it is read.
    reply_notified_at = models.DateTimeField(null=True, blank=True)
    reply_notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="square_watch_once")]
        indexes = [models.Index(fields=["user", "thread"])]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.thread_id}"


class DigestDelivery(models.Model):
    """One member's weekly digest for one week: claimed once, so it is sent at most once."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Claimed")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        EMPTY = "empty", _("Nothing to send")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="digest_deliveries")
    week = models.DateField(help_text="The Monday (UTC) of the week the digest was sent in.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    # The sweep that created the row: lets a sweep find exactly the rows it claimed.
    claim = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="square_digest_once_a_week")
        ]
        indexes = [models.Index(fields=["claim"])]

    def __str__(self) -> str:
        return f"Digest {self.week} for {self.user_id}"
