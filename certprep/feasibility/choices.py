"""The feasibility scheme's fixed vocabularies: what is rated (the three aspects of the management basis and
the seeds' six feasibility dimensions), the 1-5 scale, the benefits and the lenses they are judged through,
the risk register's states and the recommendation's outcomes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    """Which part of the scheme a rating belongs to."""

    BASIS = "basis", _("management basis")
    DIMENSION = "dimension", _("feasibility dimension")


class RatingKey(models.TextChoices):
    """What is rated: three aspects of the management basis, then the six feasibility dimensions of the seeds."""

    ITIL_FOUNDATION = "itil_foundation", _("ITIL foundation")
    ORGANIZATION_STRUCTURE = "organization_structure", _("current organizational structure")
    MANAGEMENT_RISKS = "management_risks", _("risks of the current management system during certification")
    INVESTMENT_NECESSITY = "investment_necessity", _("investment necessity")
    ORGANIZATIONAL = "organizational", _("organizational feasibility")
    TECHNICAL = "technical", _("technical feasibility")
    FINANCIAL = "financial", _("financial feasibility")
    ECONOMIC = "economic", _("economic feasibility")
    SOCIAL = "social", _("social feasibility")


BASIS_KEYS = (RatingKey.ITIL_FOUNDATION, RatingKey.ORGANIZATION_STRUCTURE, RatingKey.MANAGEMENT_RISKS)
DIMENSION_KEYS = tuple(key for key in RatingKey if key not in BASIS_KEYS)


class Score(models.IntegerChoices):
    """The 1-5 scale every rating uses; its anchors are written out on the page (`feasibility.scale`)."""

    VERY_WEAK = 1, _("1 - very weak")
    WEAK = 2, _("2 - weak")
    ADEQUATE = 3, _("3 - adequate")
    STRONG = 4, _("4 - strong")
    VERY_STRONG = 5, _("5 - very strong")


class BenefitKey(models.TextChoices):
    """The benefits the seeds list; a benefit people add themselves has none."""

    CONTINUAL_IMPROVEMENT = "continual_improvement", _("continual improvement of the services")
    STABLE_SERVICE = "stable_service", _("stable, low-cost and reliable services")
    COMMON_LANGUAGE = "common_language", _("a common service language")
    COMMUNICATION = "communication", _("a platform for internal communication")
    BEST_PRACTICE = "best_practice", _("best practice adopted")
    DELIVERY_TIME = "delivery_time", _("shorter delivery time")
    SUPPLIER_MANAGEMENT = "supplier_management", _("better supplier management")
    STAFF = "staff", _("better use and retention of staff")
    MANAGEMENT_DATA = "management_data", _("management data for decisions")


class Lens(models.TextChoices):
    """What a benefit is judged against (the seeds' lenses)."""

    DEVELOPMENT_GOALS = "development_goals", _("organizational development goals")
    IT_RESOURCES = "it_resources", _("allocation of IT resources")
    ENVIRONMENT = "environment", _("operating environment")
    EFFICIENCY = "efficiency", _("process efficiency")
    WORKLOAD = "workload", _("staff workload")
    PROFITABILITY = "profitability", _("profitability")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("open")
    MITIGATING = "mitigating", _("countermeasure under way")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    """The recommendation to top management."""

    GO = "go", _("go")
    CONDITIONAL = "conditional", _("go with conditions")
    NO_GO = "no_go", _("no-go")
