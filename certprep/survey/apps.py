from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    name = "certprep.survey"
    verbose_name = _("Preliminary survey")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The survey keeps the people who answer: the people app asks it before deleting one (people.uses).
        from certprep.people.uses import person_use_register
        from certprep.survey.selectors.people import person_in_survey

        person_use_register(person_in_survey)
