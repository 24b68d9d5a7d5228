"""The benefits and the risk register under /e/<engagement>/feasibility/ (F1's scheme pages link to
"feasibility:benefits" and "feasibility:risks")."""

from django.urls import path

from certprep.feasibility.views import benefits, risks

P = "e/<int:engagement_id>/feasibility/"

urlpatterns = [
    path(P + "benefits/", benefits.benefits, name="benefits"),
    path(P + "benefits/add/", benefits.benefit_add, name="benefit_add"),
    path(P + "benefits/usual/", benefits.benefits_usual, name="benefits_usual"),
    path(P + "benefits/<int:benefit_id>/", benefits.benefit_edit, name="benefit"),
    path(P + "benefits/<int:benefit_id>/remove/", benefits.benefit_remove, name="benefit_remove"),
    path(P + "benefits/<int:benefit_id>/move/", benefits.benefit_reorder, name="benefit_move"),
    path(P + "risks/", risks.risks, name="risks"),
    path(P + "risks/add/", risks.risk_add, name="risk_add"),
    path(P + "risks/usual/", risks.risks_usual, name="risks_usual"),
    path(P + "risks/<int:risk_id>/", risks.risk_edit, name="risk"),
    path(P + "risks/<int:risk_id>/remove/", risks.risk_remove, name="risk_remove"),
    path(P + "risks/<int:risk_id>/move/", risks.risk_reorder, name="risk_move"),
]
