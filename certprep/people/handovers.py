"""The engagement's people in the engagement file, as the sections share them (certprep.core.parts).

The file lists the people once, in the survey section, in the order of their ids; the matrix and the gap
analysis refer to a person by position in that list. While a file is checked and imported, the survey part
hands over the people under the keys below, and the parts after it take them from there.
"""

from __future__ import annotations

from collections.abc import Sequence

from certprep.core.parts import Handover
from certprep.engagements.models import Engagement
from certprep.people.models import Person

# How many people the file lists: what a reference to a person is checked against before anything is written.
FILE_PEOPLE_COUNT: Handover[int] = Handover("people in the file")
# The people the import created, in the file's order: a reference's position is its index here.
FILE_PEOPLE: Handover[Sequence[Person]] = Handover("people imported")


def file_people_ids(engagement: Engagement) -> list[int]:
    """The ids of the engagement's people in the order the file lists them."""
    return list(Person.objects.filter(engagement=engagement).order_by("id").values_list("pk", flat=True))
