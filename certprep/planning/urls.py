from django.urls import path

from certprep.planning.views import audits as audits_views
from certprep.planning.views import baselines as baselines_views
from certprep.planning.views import calendar, exchange, gantt, plan, tasks
from certprep.planning.views import excel as excel_views
from certprep.planning.views import exchange_import as exchange_import_views
from certprep.planning.views import feed as feed_views
from certprep.planning.views import resources as resources_views
from certprep.planning.views import risk as risk_views

app_name = "planning"

P = "e/<int:engagement_id>/plan/"

urlpatterns = [
    path(P, plan.plan, name="plan"),
    path(P + "generate/", plan.generate, name="generate"),
    path(P + "regenerate/", plan.regenerate, name="regenerate"),
    path(P + "tasks/<int:task_id>/", tasks.task_edit, name="task_edit"),
    path(P + "tasks/add/", tasks.task_new, name="task_add"),
    path(P + "tasks/<int:task_id>/delete/", tasks.task_remove, name="task_delete"),
    path(P + "tasks/<int:task_id>/indent/", tasks.task_indent_view, name="task_indent"),
    path(P + "tasks/<int:task_id>/outdent/", tasks.task_outdent_view, name="task_outdent"),
    path(P + "calendar/", calendar.calendar, name="calendar"),
    path(P + "gantt/", gantt.gantt, name="gantt"),
    path(P + "gantt/tasks/<int:task_id>/", gantt.bar_change, name="gantt_bar"),
    path(P + "resources/", resources_views.resources, name="resources"),
    path(P + "export.xlsx", excel_views.excel_export, name="excel_export"),
    path(P + "exchange/excel/", excel_views.excel_upload, name="excel_upload"),
    path(P + "exchange/excel/confirm/", excel_views.excel_confirm, name="excel_confirm"),
    path(P + "feeds/", feed_views.feed_new, name="feed_new"),
    path(P + "feeds/<int:feed_id>/revoke/", feed_views.feed_end, name="feed_revoke"),
    path("feeds/plan/<str:token>.ics", feed_views.feed, name="feed"),
    path(P + "exchange/", exchange.exchange, name="exchange"),
    path(P + "exchange/plan.xml", exchange.export_mspdi, name="export_mspdi"),
    path(P + "exchange/import/", exchange_import_views.exchange_import, name="exchange_import"),
    path(P + "audits/", audits_views.audits, name="audits"),
    path(P + "audits/add/", audits_views.booking_add, name="booking_add"),
    path(P + "audits/propose/", audits_views.propose, name="booking_propose"),
    path(P + "audits/<int:booking_id>/", audits_views.booking_edit, name="booking_edit"),
    path(P + "audits/<int:booking_id>/remove/", audits_views.booking_remove, name="booking_remove"),
    path(P + "baselines/", baselines_views.baselines, name="baselines"),
    path(P + "baselines/<int:baseline_number>/", baselines_views.baseline, name="baseline"),
    path(P + "baselines/<int:baseline_number>/delete/", baselines_views.baseline_remove, name="baseline_delete"),
    path(P + "risk/", risk_views.risk, name="risk"),
    path(P + "risk/<int:run_id>/", risk_views.risk_run_page, name="risk_run"),
    path(P + "risk/estimates/", risk_views.risk_estimates, name="risk_estimates"),
]
