from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token for the REST API, issued at sign-in through the API. Only its hash is stored.

    It also keeps a stamp derived from the account's password as it was at issue: once the password
    changes (by the user, by staff in the admin, by `changepassword` or any other way) the stamps differ
    and the token no longer works.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    password_stamp = models.CharField(max_length=64, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} token {self.pk}"

    @property
    def is_valid(self) -> bool:
        return self.expires_at > timezone.now()
