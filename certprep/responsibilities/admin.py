from django.contrib import admin

from certprep.responsibilities.models import Activity, Assignment, Matrix, MatrixRole, RoleHolder


@admin.register(Matrix)
class MatrixAdmin(admin.ModelAdmin):
    list_display = ["engagement", "rasci", "max_roles_per_person", "template_version", "version", "updated_at"]
    list_filter = ["rasci"]
    search_fields = ["engagement__name"]
    readonly_fields = ["template_version", "version"]


class RoleHolderInline(admin.TabularInline):
    model = RoleHolder
    extra = 0
    raw_id_fields = ["person"]


@admin.register(MatrixRole)
class MatrixRoleAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "engagement", "order", "version"]
    list_filter = ["engagement"]
    search_fields = ["name", "key", "engagement__name"]
    ordering = ["engagement", "order"]
    inlines = [RoleHolderInline]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ["role"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["name", "process_code", "key", "engagement", "order", "version"]
    list_filter = ["process_code", "engagement"]
    search_fields = ["name", "key", "engagement__name"]
    ordering = ["engagement", "process_code", "order"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["activity", "role", "letter", "updated_at"]
    list_filter = ["letter"]
    raw_id_fields = ["activity", "role"]
    search_fields = ["activity__name", "role__name"]


@admin.register(RoleHolder)
class RoleHolderAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "created_at"]
    raw_id_fields = ["person", "role"]
    search_fields = ["person__name", "role__name"]
