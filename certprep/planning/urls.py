from django.urls import path

from certprep.planning.views import calendar, exchange, plan, tasks

app_name = "planning"

P = "e/<int:engagement_id>/plan/"

urlpatterns = [
    path(P, plan.plan, name="plan"),
    path(P + "generate/", plan.generate, name="generate"),
    path(P + "regenerate/", plan.regenerate, name="regenerate"),
    path(P + "tasks/<int:task_id>/", tasks.task_edit, name="task_edit"),
    path(P + "calendar/", calendar.calendar, name="calendar"),
    path(P + "exchange/", exchange.exchange, name="exchange"),
]
