from django.urls import path

from certprep.budget.views import budget, exchange, inputs, lines, scenarios, tools

app_name = "budget"

B = "e/<int:engagement_id>/budget/"

urlpatterns = [
    path(B, budget.overview, name="overview"),
    path(B + "lines/add/", lines.line_new, name="line_add"),
    path(B + "lines/<int:budget_line_id>/", lines.line_edit, name="line_edit"),
    path(B + "lines/<int:budget_line_id>/delete/", lines.line_remove, name="line_delete"),
    path(B + "rates/", inputs.rates, name="rates"),
    path(B + "settings/", inputs.settings_edit, name="settings"),
    path(B + "day-rates/", inputs.day_rates, name="day_rates"),
    path(B + "scenarios/", scenarios.scenarios, name="scenarios"),
    path(B + "export.xlsx", exchange.export_xlsx, name="export"),
    path(B + "import/", exchange.import_xlsx, name="import"),
    path(B + "tools/", tools.tools, name="tools"),
    path(B + "tools/<int:tool_id>/choose/", tools.tool_choose, name="tool_choose"),
    path(B + "tools/<int:tool_id>/remove/", tools.tool_remove, name="tool_delete"),
]
