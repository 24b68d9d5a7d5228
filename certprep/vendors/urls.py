from django.urls import path

from certprep.vendors.views import comparison, quotes, register

app_name = "vendors"

P = "e/<int:engagement_id>/vendors/"

urlpatterns = [
    path(P, register.register, name="register"),
    path(P + "add/", register.vendor_add, name="vendor_add"),
    path(P + "<int:vendor_id>/", register.vendor_detail, name="vendor"),
    path(P + "<int:vendor_id>/remove/", register.vendor_remove, name="vendor_remove"),
    path(P + "<int:vendor_id>/auditors/add/", register.vendor_auditor_add, name="auditor_add"),
    path(P + "auditors/<int:auditor_id>/remove/", register.vendor_auditor_remove, name="auditor_remove"),
    path(P + "<int:vendor_id>/availability/add/", register.vendor_window_add, name="window_add"),
    path(P + "availability/<int:window_id>/remove/", register.vendor_window_remove, name="window_remove"),
    path(P + "<int:vendor_id>/quotes/add/", quotes.quote_add, name="quote_add"),
    path(P + "quotes/<int:quote_id>/", quotes.quote_edit, name="quote"),
    path(P + "quotes/<int:quote_id>/remove/", quotes.quote_remove, name="quote_remove"),
    path(P + "<int:vendor_id>/scores/", comparison.scores_edit, name="scores"),
    path(P + "comparison/", comparison.comparison_page, name="comparison"),
    path(P + "comparison/criteria/defaults/", comparison.criteria_default, name="criteria_defaults"),
    path(P + "comparison/criteria/add/", comparison.criterion_add, name="criterion_add"),
    path(P + "comparison/criteria/weights/", comparison.weights_save, name="weights"),
    path(P + "comparison/criteria/<int:criterion_id>/remove/", comparison.criterion_remove, name="criterion_remove"),
    path(P + "comparison/decide/", comparison.decide, name="decide"),
    path(P + "comparison.xlsx", comparison.export, name="export"),
]
