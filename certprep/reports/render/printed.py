"""What Word and PDF print of a report that also goes out as an Excel workbook: a table that the workbook holds
(it names a sheet) and that is longer than `PRINTED_ROWS` prints its first rows and says where the rest is.

Top management reads the documents; the full lists (every task of a 1,500-task plan, every budget line) are for
working in Excel, where they can be sorted and filtered. This also keeps a document's length, and the time to
lay it out, bounded whatever the engagement's size."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import ngettext

from certprep.core.documents import Block, Paragraph, Table
from certprep.reports.render import Content, Section

PRINTED_ROWS = 40


def _printed_blocks(blocks: list[Block] | tuple[Block, ...]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and block.sheet and len(block.rows) > PRINTED_ROWS:
            total = len(block.rows)
            out.append(Table(block.columns, block.rows[:PRINTED_ROWS], block.caption, block.numeric, block.sheet))
            out.append(
                Paragraph(
                    ngettext(
                        "The first %(shown)s of %(total)s row; the Excel workbook, sheet “%(sheet)s”, holds it.",
                        "The first %(shown)s of %(total)s rows; the Excel workbook, sheet “%(sheet)s”, holds them all.",
                        total,
                    )
                    % {"shown": PRINTED_ROWS, "total": total, "sheet": block.sheet[:31]},
                    "note",
                )
            )
        else:
            out.append(block)
    return out


def printed(content: Content) -> Content:
    """The content as the documents print it (see the module); unchanged when no workbook goes with it."""
    if not content.workbook:
        return content
    with translation.override(content.language):
        sections = [Section(section.title, _printed_blocks(list(section.blocks))) for section in content.sections]
    return Content(
        title=content.title,
        subtitle=content.subtitle,
        language=content.language,
        generated=content.generated,
        sections=sections,
        contents_label=content.contents_label,
        page_label=content.page_label,
        workbook=content.workbook,
    )
