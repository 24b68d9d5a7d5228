"""Model instances from rows read by written-out SQL (the few statements on the hottest paths, such as the
respondents' autosave, where building the query with the ORM costs more than running it)."""

from __future__ import annotations

from typing import Any

from django.db import connection, models


def loaded[Loaded: models.Model](model: type[Loaded], **values: Any) -> Loaded:
    """An instance of `model` as read from the database with only these fields (attribute names, e.g.
    `questionnaire_id`): any other field is read from the database when it is first used, never silently
    left at its default."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    unknown = set(values) - set(names)
    if unknown:
        raise TypeError(f"{model.__name__} has no column {', '.join(sorted(unknown))}")
    return model.from_db(connection.alias, names, [values[name] for name in names])


def _column(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


def json_read(model: type[models.Model], field: str, value: Any) -> Any:
    """A JSON column's value as a written-out SELECT returns it (text on SQLite), decoded as the ORM would."""
    return getattr(_column(model, field), "from_db_value")(value, None, connection)  # noqa: B009 - JSONField's own


def db_param(model: type[models.Model], field: str, value: Any) -> Any:
    """`value` as a parameter of a written-out statement for `model.field`, as the ORM would send it. None is
    SQL NULL for every column (a JSON column would otherwise store the JSON text "null")."""
    return None if value is None else _column(model, field).get_db_prep_value(value, connection)
