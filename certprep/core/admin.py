from django.contrib import admin

from certprep.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "imported", "action", "object_type", "object_repr", "engagement"]
    list_filter = ["action", "imported", "object_type"]
    search_fields = ["object_repr", "actor_label"]

    def has_add_permission(self, request):  # the trail is written by services only
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
