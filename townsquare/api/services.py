"""Writes about personal API tokens: issue, revoke, and recognise one on a request."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.api.models import ApiToken
from townsquare.members.models import User
from townsquare.pulse.services import record_audit

SECRET_PREFIX = "ts_"  # noqa: S105 - the public marker in front of every secret
PREFIX_LENGTH = 12  # "ts_" and 9 characters of the secret: enough to tell tokens apart
MAX_ACTIVE_TOKENS = 20
# Writing last_used_at on every request would turn every API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# token_urlsafe(32) gives 43 characters; anything much longer is not one of ours.
MAX_SECRET_LENGTH = 100


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Creates a token for `user` and returns it with its secret, which is never stored.

    1. Check the name and the number of tokens the user already holds.
    2. Store only the SHA-256 of the secret and its first characters (to recognise it).
    3. Audit it; the caller shows the secret once.
    """
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError({"name": _("At most 80 characters.")})
    if not user.is_active:
        raise ValidationError(_("This account is not active."))
    # Lock the user's row so two concurrent requests cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You have %(n)d active tokens; revoke one before creating another.")
            % {"n": MAX_ACTIVE_TOKENS}
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:PREFIX_LENGTH], token_hash=hash_secret(secret)
    )
    record_audit(user, "api_token.issue", token, data={"name": name, "prefix": token.prefix})
    return token, secret


@transaction.atomic
def revoke_token(user: User, token: ApiToken) -> ApiToken:
    """Revokes one of the user's own tokens; revoking twice keeps the first time."""
    if token.user_id != user.pk:
        raise PermissionError("Only the owner revokes a token.")
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])
    if revoked:
        record_audit(user, "api_token.revoke", token, data={"prefix": token.prefix})
    return token


def authenticate_token(raw: str) -> User | None:
    """The active owner of an unrevoked token with this secret, or None.

    The lookup is by the secret's SHA-256, so response timing depends on the hash, which
    an attacker cannot steer toward a stored one; the final comparison is constant-time
    anyway. Usage is recorded at most once a minute per token.
    """
    raw = (raw or "").strip()
    if not raw.startswith(SECRET_PREFIX) or len(raw) > MAX_SECRET_LENGTH:
        return None
    digest = hash_secret(raw)
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    user = token.user
    if not user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # update() rather than save(): several workers may record the same minute at once.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user
