"""Every file an engagement has in the file store, so deleting the engagement deletes them too (and its outgoing
e-mail, which core keeps by a plain id).

Files are named by the rows that hold them (the FileFields below) and kept in folders of their engagement
(`<kind>/<engagement id>/...`); a file staged for an import has no row at all. The engagement's files are the
union of both, so neither a row whose file sits elsewhere nor a file whose row is gone is left behind.
"""

from __future__ import annotations

from django.apps import apps

from certprep.core.models import OutboxMessage
from certprep.core.storage import stored_under

# Each model field holding an engagement's files, with the path from that model to the engagement. A test
# checks that every FileField of the project is listed here.
FILE_FIELDS = (
    ("gaps.Evidence", "file", "rating__assessment__engagement"),
    ("survey.Attachment", "file", "answer__response__respondent__campaign__engagement"),
    ("reports.ReportFile", "file", "build__engagement"),
)
# The folders the upload paths and the plan-import staging put an engagement's files in.
FOLDERS = ("evidence", "survey", "reports", "plan-imports")


def engagement_folders(engagement_id: int) -> list[str]:
    return [f"{folder}/{engagement_id}" for folder in FOLDERS]


def engagement_files(engagement_id: int) -> list[str]:
    """The names of every stored file of the engagement: those its rows name and those in its folders."""
    names: set[str] = set()
    for label, field, path in FILE_FIELDS:
        model = apps.get_model(label)
        rows = model.objects.filter(**{f"{path}_id": engagement_id}).exclude(**{field: ""})
        names.update(name for name in rows.values_list(field, flat=True) if name)
    for folder in engagement_folders(engagement_id):
        names.update(stored_under(folder))
    return sorted(names)


def engagement_mail_delete(engagement_id: int) -> int:
    """Delete the engagement's outgoing e-mail (core's outbox names its engagement by a plain id, so no cascade
    reaches it): queued messages are not sent any more (their tasks find nothing to send), and what was sent or
    failed leaves no trace of the engagement's people. Returns how many messages went."""
    deleted, _counts = OutboxMessage.objects.filter(engagement_id=engagement_id).delete()
    return deleted
