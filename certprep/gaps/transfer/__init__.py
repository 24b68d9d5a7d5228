"""The gap analysis's section of the whole-engagement export file.

One module per step: schema.py (the parts), export.py, check.py, load.py; common.py holds how answers and
requirements are referred to.

Its settings, the assessments with every rating, the rating's evidence (files in base64) and the
decisions on suggestions, the improvement topics and the documented-information checklist. Objects
refer to one another by position or key inside the file, never by database id:

- a framework and a requirement by URN (a requirement also carries its reference, used when this
  installation's catalogue knows the framework but not the URN);
- an assessment as `#n` in `assessments`, a rating by its assessment and requirement URN;
- a person as `#n` in the survey section's `people`;
- a survey answer by the path the survey section nests it under: campaign `#n` in `campaigns`, the
  respondent's person, the questionnaire key and the question key;
- a user by user name; only the engagement's members are matched, anyone else is left empty.

A decision on a suggestion is stored under "<rule key>:<answer id>"; the file carries the rule key and
the answer reference, so the decision follows the answer to its new id. A decision about an answer that
was deleted can never apply again and is not carried.

`gaps_check` refuses a file whose references do not resolve or whose values the services would refuse
(for instance a capability level that does not follow from the attribute ratings) before anything is
written; `gaps_import` then writes everything with bulk inserts inside the caller's transaction.
"""

from certprep.gaps.transfer.check import gaps_check
from certprep.gaps.transfer.export import gaps_export
from certprep.gaps.transfer.load import gaps_import
from certprep.gaps.transfer.schema import (
    AssessmentPart,
    DocumentPart,
    EvidencePart,
    GapsPart,
    RatingPart,
    SettingsPart,
    TopicPart,
)

__all__ = [
    "AssessmentPart",
    "DocumentPart",
    "EvidencePart",
    "GapsPart",
    "RatingPart",
    "SettingsPart",
    "TopicPart",
    "gaps_check",
    "gaps_export",
    "gaps_import",
]
