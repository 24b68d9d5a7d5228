"""An assessment as an Excel workbook, for consultants to rate offline, and back.

Sheets:
- "Ratings": one row per requirement in framework order. Rating id, Version, Reference, the requirement's
  title, what it requires and weight (read-only), then the rating: "Rating (0-3)" on the compliance scale, or
  nine "PA 1.1" .. "PA 5.2" columns (N/P/L/F) and the computed level on the capability scale; then Target
  (empty: the assessment's default), Gap (computed), Documentation (a choice value), Assessor (a member's
  username) and Notes.
- "Evidence": one row per piece of evidence. Links can be changed, added (a row without an id) and removed
  (the row deleted); files and survey answers are listed for information and kept as they are.
- "Assessment": key/value rows naming the assessment, framework and scale the workbook belongs to, and when
  it was exported. An import refuses a workbook of another assessment, framework or scale.
- "About": what every column means, which are read-only, the allowed values and the import rules.
- "Lists" (hidden): the values the drop-down lists offer.

Every text written goes through neutralize() and every cell read through cell_text(), so text a spreadsheet
would run as a formula comes back exactly as typed. An import checks the whole workbook first, then applies
the changes in one transaction: all or nothing. A row changed both in the file and in certprep since the
export is a conflict and refuses the whole import; rows equal to what is stored are left untouched.
"""

from certprep.gaps.spreadsheet.columns import (
    XLSX_CONTENT_TYPE,
    documentation_value,
    evidence_columns,
    fingerprint,
    rating_columns,
    workbook_scale,
)
from certprep.gaps.spreadsheet.export import assessment_export
from certprep.gaps.spreadsheet.reading import assessment_import

__all__ = [
    "XLSX_CONTENT_TYPE",
    "assessment_export",
    "assessment_import",
    "documentation_value",
    "evidence_columns",
    "fingerprint",
    "rating_columns",
    "workbook_scale",
]
