"""Who does something: the types of the acting user that services, selectors and access helpers take."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

# A signed-in account acting through a page, the API or a management command. certprep keeps Django's
# own user model (no AUTH_USER_MODEL), so this is that model's type.
type Actor = User

# Whoever the request belongs to, signed in or not: what access helpers receive from request.user
# before they decide whether the engagement is theirs to see.
type Visitor = User | AnonymousUser

# Who an audit entry names: an account, a respondent's name when a questionnaire is answered through its
# link (no account), or None for the system itself (reminders, imports' own bookkeeping).
type AuditActor = User | str | None


class SignedInRequest(HttpRequest):
    """A request that has passed login_required (a page) or the bearer token (the API): its user is a
    signed-in account, so views hand request.user to services as their Actor."""

    user: Actor
