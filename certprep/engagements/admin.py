from django.contrib import admin

from certprep.engagements.models import Engagement, Invitation, Membership, OrganizationProfile


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["name", "organization_name", "target_stage1_date", "created_at"]
    search_fields = ["name", "organization_name"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "engagement", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    readonly_fields = ["token_hash"]


@admin.register(OrganizationProfile)
class OrganizationProfileAdmin(admin.ModelAdmin):
    list_display = ["engagement", "industry", "people_in_scope", "version"]
