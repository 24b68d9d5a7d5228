"""What an app contributes to an engagement: its part.

An engagement is made of parts (the survey, the responsibility matrix, the gap analysis, and later the plan,
the budget, the vendors, the feasibility scheme and the reports). Each app declares its part once, as the
module-level `part` of its own `parts.py`, and the engagement's whole-file export and import, its dashboard,
its demo and the REST API go through the declared parts: the engagement app never imports an app above it,
and adding an app edits no other app. docs/architecture.md says how to add one.

The parts are found through `settings.CERTPREP_ENGAGEMENT_PARTS`, the ordered list of the modules declaring
them. Their order there is the order of the engagement file's checks and imports (a part may use what an
earlier part handed over), of the dashboard's cards, of the demo and of the API's routers.

The contract is generic in the engagement model (`E`) because this module sits below the engagement app
and cannot name its model; each part declares itself as `EngagementPart[Engagement](...)`, so the type
checker holds its functions to the engagement they will be given.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Protocol, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from ninja import Router
from pydantic import BaseModel

from certprep.core.actors import Actor
from certprep.core.documents import ReportDocument, ReportSection
from certprep.core.feeds import FeedEvent


class Handover[T]:
    """The typed name of a value that one part hands to the parts after it while an engagement file is checked
    or imported: the engagement's people, for instance, travel in the survey section, and the matrix and the
    gap analysis refer to them by their position there."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Handover({self.name!r})"


class Handovers:
    """The values handed over during one check or import of an engagement file, by their `Handover`.

    `members` are the user names that are members of the engagement once it is imported: only they are
    matched as users in the imported sections (authors, interviewers, assessors)."""

    def __init__(self, *, members: Collection[str] = ()) -> None:
        self.members = members
        self._values: dict[Handover[Any], object] = {}

    def give[T](self, key: Handover[T], value: T) -> None:
        self._values[key] = value

    def get[T](self, key: Handover[T]) -> T | None:
        """The value an earlier part handed over, or None when no part did (its section is not in the file)."""
        return cast("T | None", self._values.get(key))


@dataclass(frozen=True, kw_only=True)
class StoredFiles[E]:
    """Files a section carries in the engagement file (base64, a third larger): their total must fit in one
    file, so the export adds them up across the parts before it starts."""

    size: Callable[[E], int]  # bytes stored for the engagement
    label: str | Promise  # translatable, with %(mb)s: "%(mb)s MB on survey answers"


@dataclass(frozen=True, kw_only=True)
class FileSection[E, S: BaseModel]:
    """The part's section of the engagement file, under the part's key.

    `schema` is the pydantic model the import validates the section against; a file without the section
    (written before the part existed) imports as empty. `check` refuses a section with `ServiceError` before
    anything is written, and may hand over what later parts' checks need; `load` writes a checked section into
    the new engagement inside the import's transaction, and may hand over what later parts' loads need.
    """

    schema: type[S]
    export: Callable[[E], dict[str, Any]]
    check: Callable[[S, Handovers], None]
    load: Callable[[E, S, Handovers], None]
    files: StoredFiles[E] | None = None


@dataclass(frozen=True, kw_only=True)
class DashboardCard[E]:
    """The part's step in the dashboard's preparation flow.

    `template` renders one `<li>` of the flow's list; it is given `engagement` and `status`, the mapping that
    `status` returns. `status` reads the part's state in a fixed number of queries, whatever the amount of
    data (the dashboard's query count is asserted at two data sizes)."""

    template: str
    status: Callable[[E], Mapping[str, object]]


@dataclass(frozen=True, kw_only=True)
class MenuEntry:
    """The part's step in the engagement's menu (the preparation flow in the sidebar).

    `url_name` is reversed with the engagement's id; `active` is the value of the `active` context variable
    that the part's pages set, so the entry is marked as the current one on every page of the part."""

    label: str | Promise
    url_name: str
    active: str


@dataclass(frozen=True, kw_only=True)
class Link:
    """Something a later part made of an earlier part's object, shown on that object's pages: the plan's task made
    from an improvement topic, say. `kind` names what it is ("Plan task"), `facts` are short texts already in the
    page's language (dates, progress), `warnings` the same for what needs the reader's attention (an audit date
    outside the certification body's availability)."""

    kind: str | Promise
    label: str
    url: str
    facts: Sequence[str] = ()
    warnings: Sequence[str] = ()


class LinkFinder[E](Protocol):
    """The links a part contributes to objects of another part: for the objects of `kind` ("app_label.model",
    e.g. "gaps.improvementtopic") with these ids in the engagement, the links of each object that has any.
    A fixed number of queries, whatever the number of ids. `detailed` is True on the object's own page (facts
    that cost more, such as scheduled dates, are welcome) and False on a list of objects (keep it to one query)."""

    def __call__(
        self, engagement: E, kind: str, ids: Sequence[int], *, detailed: bool
    ) -> Mapping[int, Sequence[Link]]: ...


@dataclass(frozen=True)
class ApprovalFigure:
    """One figure of a document top management approves, as it stands: `key` is stable and language-neutral
    ("total", "line:42"), `label` says what it is in the active language, `value` is language-neutral text that
    is compared with the value at the approval ("125000.00 CNY", "2027-05-03", "go")."""

    key: str
    label: str
    value: str
    words: Mapping[str, str] = field(default_factory=dict)  # a coded value -> what it reads as now (a choice's label)

    @property
    def shown(self) -> str:
        """The value as the reader reads it: a code in words, anything else as it is."""
        return self.words.get(self.value, self.value)


@dataclass(frozen=True, kw_only=True)
class Approvable[E]:
    """A document of the part that top management approves inside certprep (the budget, the plan, the feasibility
    scheme). The organization app records who approved which state when, and shows a document changed since its
    approval with what changed, by comparing `figures` now with the figures stored at the approval. `figures`
    reads the document in a fixed number of queries; `url_name` is its page, reversed with the engagement's id."""

    key: str
    label: str | Promise
    url_name: str
    figures: Callable[[E], Sequence[ApprovalFigure]]


class CalendarSource[E](Protocol):
    """The events a part puts in the engagement's private calendar feed (milestones, audits, interviews,
    meetings), worded in the active language; a fixed number of queries."""

    def __call__(self, engagement: E) -> Sequence[FeedEvent]: ...


class DemoLoader[E](Protocol):
    """Fills the part of the demo engagement; does nothing when the part has data already (the demo command
    runs again on every `make run` and keeps what users changed)."""

    def __call__(self, *, engagement: E, actor: Actor) -> None: ...


@dataclass(frozen=True, kw_only=True)
class EngagementPart[E]:
    """What one app contributes to an engagement. Everything but the key is optional.

    - `key`: the name of the part's section in the engagement file, and its id among the parts. A key equal to
      one of the engagement app's placeholder sections (plan, budget, vendors, feasibility, reports) replaces
      that placeholder on the dashboard.
    - `section`: its section of the engagement file (export, check, import).
    - `demo`: how the demo engagement gets this part's data.
    - `card`: its step on the engagement's dashboard.
    - `menu`: its step in the engagement's menu; a part without one has no page of its own in the flow.
    - `routers`: its REST API routers, mounted under /api/v1/engagements in the parts' order.
    - `links`: what the part made of other parts' objects, for their pages to show (`part_links`); an app below
      cannot import this one, so it asks through here.
    - `calendar`: the events the part puts in the engagement's calendar feed (`calendar_events`).
    - `approvables`: the part's documents that top management approves (see `Approvable`).
    - `report_sections`, `report_documents`: what the part adds to the reports for top management (see
      certprep/core/documents.py); a document may use the sections of any part, by key.
    """

    key: str
    section: FileSection[E, Any] | None = None
    demo: DemoLoader[E] | None = None
    card: DashboardCard[E] | None = None
    menu: MenuEntry | None = None
    routers: Sequence[Router] = ()
    links: LinkFinder[E] | None = None
    calendar: CalendarSource[E] | None = None
    approvables: Sequence[Approvable[E]] = ()
    report_sections: Sequence[ReportSection[E]] = ()
    report_documents: Sequence[ReportDocument] = ()


def engagement_parts() -> list[EngagementPart[Any]]:
    """The parts named in settings.CERTPREP_ENGAGEMENT_PARTS, in that order (each module's `part`)."""
    parts: list[EngagementPart[Any]] = []
    for path in settings.CERTPREP_ENGAGEMENT_PARTS:
        part = getattr(import_module(path), "part", None)
        if not isinstance(part, EngagementPart):
            raise ImproperlyConfigured(f"{path} declares no `part` (an EngagementPart); see certprep/core/parts.py")
        if any(known.key == part.key for known in parts):
            raise ImproperlyConfigured(f"Two engagement parts have the key {part.key!r}; the second is in {path}")
        parts.append(part)
    return parts


def part_links[E](engagement: E, kind: str, ids: Sequence[int], *, detailed: bool = False) -> dict[int, list[Link]]:
    """Every part's links to the engagement's objects of `kind` with these ids (see `LinkFinder`), by object id,
    in the parts' order."""
    found: dict[int, list[Link]] = {}
    if not ids:
        return found
    for part in engagement_parts():
        if part.links is None:
            continue
        for pk, links in part.links(engagement, kind, ids, detailed=detailed).items():
            found.setdefault(pk, []).extend(links)
    return found


def calendar_events[E](engagement: E) -> list[FeedEvent]:
    """Every part's events for the engagement's calendar feed, in the parts' order."""
    events: list[FeedEvent] = []
    for part in engagement_parts():
        if part.calendar is not None:
            events.extend(part.calendar(engagement))
    return events


def approvables() -> list[Approvable[Any]]:
    """Every part's approvable documents, in the parts' order."""
    return [approvable for part in engagement_parts() for approvable in part.approvables]


def report_sections() -> dict[str, ReportSection[Any]]:
    """Every part's report sections by key; two parts declaring the same key is a configuration error."""
    found: dict[str, ReportSection[Any]] = {}
    for part in engagement_parts():
        for section in part.report_sections:
            if section.key in found:
                raise ImproperlyConfigured(f"Two report sections have the key {section.key!r}")
            found[section.key] = section
    return found


def report_documents() -> list[ReportDocument]:
    """Every part's reports, in the parts' order."""
    return [document for part in engagement_parts() for document in part.report_documents]
