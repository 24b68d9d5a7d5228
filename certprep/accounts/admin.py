from django.contrib import admin

from certprep.accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "last_used_at"]
    readonly_fields = ["token_hash"]
