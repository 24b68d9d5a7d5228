"""Instances built from written-out SQL behave like the ORM's: fields not read are fetched when used, JSON
and time columns round-trip, and no answer is stored as SQL NULL."""

from __future__ import annotations

import pytest
from django.db import connection

from certprep.core.rows import db_param, json_read, loaded
from certprep.survey.models import Question
from certprep.survey.tests.factories import person, sent_campaign


@pytest.mark.django_db
def test_a_loaded_instance_reads_the_fields_it_was_not_given_from_the_database(engagement, owner, catalogue):
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    sent_campaign(engagement, owner, keys=("process-incident",))
    stored = Question.objects.filter(kind="single_choice").first()
    assert stored is not None
    partial = loaded(Question, id=stored.pk, kind=stored.kind)
    assert partial.kind == stored.kind
    assert partial.text == stored.text  # read when first used, not left at the default ""
    assert partial.questionnaire_id == stored.questionnaire_id


def test_a_column_the_model_does_not_have_is_refused():
    with pytest.raises(TypeError, match="no column colour"):
        loaded(Question, id=1, colour="red")


@pytest.mark.django_db
def test_json_parameters_round_trip_through_a_written_out_statement(engagement, owner, catalogue):
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    sent_campaign(engagement, owner, keys=("process-incident",))
    question = Question.objects.first()
    assert question is not None
    options = [{"value": "a", "label": "Ä, «quoted»"}]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE survey_question SET options = %s WHERE id = %s",
            [db_param(Question, "options", options), question.pk],
        )
        cursor.execute("SELECT options FROM survey_question WHERE id = %s", [question.pk])
        (raw,) = cursor.fetchone()
    assert json_read(Question, "options", raw) == options
    question.refresh_from_db()
    assert question.options == options
    assert db_param(Question, "options", None) is None  # SQL NULL, not the JSON text "null"
