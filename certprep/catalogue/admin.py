from django.contrib import admin

from certprep.catalogue.models import Framework, Process, ProcessLens, Requirement


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "ref_id", "library_version", "source_format", "imported_at"]
    search_fields = ["name", "urn"]


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["ref_id", "name", "framework", "assessable", "is_current"]
    list_filter = ["framework", "assessable", "is_current"]
    search_fields = ["ref_id", "name", "urn"]


@admin.register(ProcessLens)
class ProcessLensAdmin(admin.ModelAdmin):
    list_display = ["name", "framework"]


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "lens", "clause_2011"]
    filter_horizontal = ["requirements"]
