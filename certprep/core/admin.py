from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest

from certprep.core.models import AuditEntry

# ModelAdmin is generic only in the stubs (django_stubs_ext is not patched in at runtime).
if TYPE_CHECKING:
    _AuditAdmin = admin.ModelAdmin[AuditEntry]
else:
    _AuditAdmin = admin.ModelAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(_AuditAdmin):
    list_display = ["at", "actor_label", "imported", "action", "object_type", "object_repr", "engagement"]
    list_filter = ["action", "imported", "object_type"]
    search_fields = ["object_repr", "actor_label"]

    def has_add_permission(self, request: HttpRequest) -> bool:  # the trail is written by services only
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
