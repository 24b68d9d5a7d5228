"""The current state of each process: what the respondents said about its definition, inputs, outputs,
documents and records, tools, owners and relations, summarised from the answers of the process's
questionnaires, plus the data of the relations map.

Summaries are built by question `topic` and `kind`, so a questionnaire an engagement edited still summarises;
the shipped question keys are only a preference (e.g. which table column names an item). Submitted answers
come first; answers of responses still in progress are shown too, marked as drafts.

The whole read is a fixed number of queries, however many respondents answered (see load_survey).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from certprep.catalogue.models import Process
from certprep.catalogue.selectors import PROCESS_LENS_URN
from certprep.core.wording import in_parentheses, join_entries, join_names, labelled
from certprep.engagements.models import Engagement
from certprep.people.choices import SmsRole
from certprep.people.models import Person
from certprep.survey.answers import is_answered
from certprep.survey.choices import QuestionKind, QuestionnaireKind, ResponseStatus, Topic
from certprep.survey.models import Answer, Attachment, Question, Questionnaire, Response
from certprep.survey.relations import MapNode, RelationGraph, build_graph

# Table columns that name the item of a row, in order of preference (the shipped questionnaires' keys).
LABEL_COLUMNS = ("item", "document", "tool", "name", "record")
# Question keys that lead their topic (shown first).
PREFERRED_KEYS = {
    Topic.DEFINITION: "definition",
    Topic.OWNERS: "owner",
    Topic.DOCUMENTS: "procedure-exists",
    Topic.RELATIONS: "relations",
}
STATUS_RANK = {ResponseStatus.SUBMITTED: 0, ResponseStatus.IN_PROGRESS: 1, ResponseStatus.NOT_STARTED: 2}
DIGEST_CHARS = 300


# --- Loading -------------------------------------------------------------------------------------------


def lens_processes() -> list[Process]:
    """The 13 processes of the lens in lens order, with their groups (one query)."""
    return list(Process.objects.filter(lens__urn=PROCESS_LENS_URN).select_related("group").order_by("order", "pk"))


def lens_process_names() -> dict[str, str]:
    """Process code -> translated name, in lens order."""
    return {p.code: p.tr.name for p in lens_processes()}


# Responses and answers are read as plain rows, not model instances: a large survey has tens of thousands
# of answers, and building a model (with its datetime fields) for each one was most of the page's time.


@dataclass(frozen=True, slots=True)
class PersonRef:
    """The respondent's person, as the summaries name them."""

    pk: int
    name: str


@dataclass(frozen=True, slots=True)
class RespondentRef:
    person: PersonRef

    @property
    def person_id(self) -> int:
        return self.person.pk


@dataclass(frozen=True, slots=True)
class ResponseRow:
    """One response to a questionnaire: whose it is and how far it got."""

    pk: int
    questionnaire_id: int
    status: str
    respondent: RespondentRef


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """What a respondent answered to one question, and whether they want to discuss it."""

    pk: int
    value: Any
    flagged: bool
    flag_note: str


@dataclass
class SurveyData:
    """Questionnaires, their questions, responses, answers and attachment names, loaded in five queries."""

    questionnaires: list[Questionnaire]
    responses: list[ResponseRow]
    answers: dict[tuple[int, int], AnswerRow]
    files: dict[int, list[str]]
    by_questionnaire: dict[int, list[ResponseRow]] = field(default_factory=dict)

    def questions(self, questionnaire: Questionnaire) -> list[Question]:
        return list(questionnaire.questions.all())

    def responses_to(self, questionnaire: Questionnaire) -> list[ResponseRow]:
        return self.by_questionnaire.get(questionnaire.pk, [])

    def answer(self, response: ResponseRow, question: Question) -> AnswerRow | None:
        return self.answers.get((response.pk, question.pk))

    def files_of(self, answer: AnswerRow | None) -> list[str]:
        return self.files.get(answer.pk, []) if answer is not None else []

    def answered(self, response: ResponseRow, question: Question) -> bool:
        answer = self.answer(response, question)
        if answer is None:
            return False
        return is_answered(question.kind, answer.value, len(self.files_of(answer)))


def load_survey(questionnaires: QuerySet[Questionnaire], *, responses: QuerySet[Response] | None = None) -> SurveyData:
    """Everything needed to summarise `questionnaires`: their questions, the responses (all of them, or
    `responses`), the answers and the attached files' names. Submitted responses come first."""
    loaded = list(
        questionnaires.prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "pk")))
    )
    chosen = (
        responses if responses is not None else Response.objects.filter(questionnaire__in=questionnaires.values("pk"))
    )
    rows = chosen.values_list("pk", "questionnaire_id", "status", "respondent__person_id", "respondent__person__name")
    people: dict[int, RespondentRef] = {}
    response_list = sorted(
        (
            ResponseRow(
                pk, questionnaire_id, status, people.setdefault(person_id, RespondentRef(PersonRef(person_id, name)))
            )
            for pk, questionnaire_id, status, person_id, name in rows
        ),
        key=lambda r: (STATUS_RANK.get(ResponseStatus(r.status), 3), r.respondent.person.name.casefold(), r.pk),
    )
    by_questionnaire: dict[int, list[ResponseRow]] = {}
    for response in response_list:
        by_questionnaire.setdefault(response.questionnaire_id, []).append(response)
    answers: dict[tuple[int, int], AnswerRow] = {}
    files: dict[int, list[str]] = {}
    if response_list:
        # Subqueries rather than lists of ids: the statements stay the same size however many responses there are.
        wanted = chosen.values("pk")
        answer_rows = (
            Answer.objects.filter(response__in=wanted)
            .order_by("pk")
            .values_list("pk", "response_id", "question_id", "value", "flagged", "flag_note")
        )
        for pk, response_id, question_id, value, flagged, flag_note in answer_rows:
            answers[(response_id, question_id)] = AnswerRow(pk, value, flagged, flag_note)
        for answer_id, name in (
            Attachment.objects.filter(answer__response__in=wanted)
            .order_by("uploaded_at", "pk")
            .values_list("answer_id", "original_name")
        ):
            files.setdefault(answer_id, []).append(name)
    return SurveyData(
        questionnaires=loaded, responses=response_list, answers=answers, files=files, by_questionnaire=by_questionnaire
    )


# --- Rendering one answer ------------------------------------------------------------------------------


def _date_text(value: Any) -> str:
    try:
        return str(formats.date_format(datetime.date.fromisoformat(str(value)), "DATE_FORMAT"))
    except ValueError:
        return str(value)


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def label_column(question: Question) -> str:
    """The column whose cell names a table row's item."""
    keys = [str(c.get("key")) for c in question.columns or []]
    for key in LABEL_COLUMNS:
        if key in keys:
            return key
    return keys[0] if keys else ""


def table_rows(question: Question, value: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """Rows of a table answer as (item, [(column label, text)]) with empty cells left out."""
    if not isinstance(value, list):
        return []
    main = label_column(question)
    labels = dict(question.column_labels())
    rows = []
    for row in value:
        if not isinstance(row, dict):
            continue
        cells = [(key, " ".join(str(row.get(key) or "").split())) for key in labels]
        item = next((text for key, text in cells if key == main and text), "")
        others = [(labels[key], text) for key, text in cells if text and (key != main or not item)]
        if not item and others:
            item = others.pop(0)[1]
        if item:
            rows.append((item, others))
    return rows


def answer_text(
    question: Question, value: Any, files: Iterable[str] = (), process_names: Mapping[str, str] | None = None
) -> str:
    """An answer as readable text in the active language: option labels, yes/no, table rows one per line."""
    kind = question.kind
    if kind == QuestionKind.ATTACHMENT:
        return join_names(files)
    if value in (None, "", []):
        return ""
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        labels = dict(question.option_labels())
        values = value if isinstance(value, list) else [value]
        return join_names(labels.get(str(v), str(v)) for v in values)
    if kind == QuestionKind.YES_NO:
        return _("Yes") if value == "yes" else _("No") if value == "no" else str(value)
    if kind == QuestionKind.SCALE:
        return _("%(level)s of 5") % {"level": value}
    if kind == QuestionKind.NUMBER:
        return _number_text(value)
    if kind == QuestionKind.DATE:
        return _date_text(value)
    if kind == QuestionKind.PROCESS_REF:
        names = process_names or {}
        values = value if isinstance(value, list) else [value]
        return join_names(names.get(str(v), str(v)) for v in values)
    if kind == QuestionKind.TABLE:
        lines = []
        for item, others in table_rows(question, value):
            details = join_entries(labelled(label, text) for label, text in others)
            lines.append(f"{item} {in_parentheses(details)}" if details else item)
        return "\n".join(lines)
    if isinstance(value, (list, dict)):
        return str(value)
    return str(value)


def shorten(text: str, limit: int = DIGEST_CHARS) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- The current state of one process ------------------------------------------------------------------


@dataclass
class Said:
    """One respondent's answer as text; `draft` when their response is not submitted yet."""

    text: str
    person: str
    draft: bool = False


@dataclass
class Detail:
    label: str
    values: list[str] = field(default_factory=list)


@dataclass
class Named:
    """A table row (an input, an output, a document, a tool) merged across respondents, case-insensitively."""

    label: str
    count: int = 0
    people: list[str] = field(default_factory=list)
    details: list[Detail] = field(default_factory=list)
    draft: bool = True  # while only responses in progress name it


@dataclass
class Fact:
    """One question's answers (text, choices, numbers), with yes/no counts and the average of levels."""

    question: str
    key: str
    kind: str
    answers: list[Said] = field(default_factory=list)
    yes: int = 0
    no: int = 0
    average: float | None = None


@dataclass
class Related:
    """A process this one exchanges with, and how many respondents named it."""

    code: str
    name: str
    count: int
    people: list[str] = field(default_factory=list)
    known: bool = True  # a process of the lens (has a summary page)


@dataclass
class TopicState:
    topic: str
    label: str
    items: list[Named] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    files: list[Said] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.items or self.files or self.related or any(f.answers for f in self.facts))


@dataclass
class Flag:
    """An answer its respondent wants to discuss face to face."""

    question: str
    person: str
    person_id: int
    answer: str
    note: str
    draft: bool = False


@dataclass
class Gap:
    """A question left unanswered by respondents who started their response."""

    question: str
    required: bool
    people: list[str] = field(default_factory=list)


@dataclass
class Counts:
    total: int = 0
    submitted: int = 0
    in_progress: int = 0
    not_started: int = 0

    @property
    def started(self) -> int:
        return self.submitted + self.in_progress


@dataclass
class ProcessState:
    code: str
    name: str
    group: str
    group_name: str
    order: int
    questionnaires: list[str] = field(default_factory=list)
    responses: Counts = field(default_factory=Counts)
    topics: list[TopicState] = field(default_factory=list)
    owner_people: list[str] = field(default_factory=list)
    flagged: list[Flag] = field(default_factory=list)
    unanswered: list[Gap] = field(default_factory=list)
    answered: int = 0
    expected: int = 0
    respondent_ids: list[int] = field(default_factory=list)

    def topic(self, name: str) -> TopicState:
        for topic in self.topics:
            if topic.topic == name:
                return topic
        return TopicState(topic=name, label=name)

    @property
    def by_topic(self) -> dict[str, TopicState]:
        return {t.topic: t for t in self.topics}

    @property
    def completeness(self) -> int | None:
        """Share of the questions answered by the respondents who started, in percent (None: nobody started)."""
        return round(100 * self.answered / self.expected) if self.expected else None

    @property
    def missing(self) -> int:
        return self.expected - self.answered

    @property
    def open_questions(self) -> int:
        return len(self.flagged) + len(self.unanswered)

    @property
    def owner(self) -> str:
        """Who owns the process, in one line: people holding the process-owner role, else what respondents said."""
        if self.owner_people:
            return join_names(self.owner_people)
        seen: dict[str, str] = {}
        for fact in self.topic(Topic.OWNERS).facts:
            for said in fact.answers:
                seen.setdefault(said.text.casefold(), said.text)
        return join_entries(list(seen.values())[:3])

    @property
    def definition(self) -> str:
        """The first definition text, for cards."""
        for fact in self.topic(Topic.DEFINITION).facts:
            if fact.kind in (QuestionKind.LONG_TEXT, QuestionKind.SHORT_TEXT) and fact.answers:
                return fact.answers[0].text
        return ""

    def count(self, topic: str) -> int:
        return len(self.topic(topic).items)

    @property
    def inputs(self) -> int:
        return self.count(Topic.INPUTS)

    @property
    def outputs(self) -> int:
        return self.count(Topic.OUTPUTS)

    @property
    def documents(self) -> int:
        return self.count(Topic.DOCUMENTS)

    @property
    def tools(self) -> int:
        return self.count(Topic.TOOLS)

    @property
    def files(self) -> int:
        return len(self.topic(Topic.DOCUMENTS).files)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (for the API)."""
        data = asdict(self)
        data["responses"]["started"] = self.responses.started
        data.update(
            completeness=self.completeness,
            missing=self.missing,
            open_questions=self.open_questions,
            owner=self.owner,
            counts={
                "inputs": self.inputs,
                "outputs": self.outputs,
                "documents": self.documents,
                "tools": self.tools,
                "files": self.files,
            },
        )
        return data


def _sorted_topics(questions: Iterable[Question]) -> list[Question]:
    """Questions with each topic's preferred key first, otherwise in questionnaire order."""
    preferred = {str(topic): key for topic, key in PREFERRED_KEYS.items()}
    ranked = sorted(
        enumerate(questions), key=lambda pair: (0 if preferred.get(pair[1].topic) == pair[1].key else 1, pair[0])
    )
    return [question for _i, question in ranked]


def _is_owner_of(person: Person, code: str) -> bool:
    """The person holds the process-owner role for this process (their role_assignments prefetched)."""
    return any(a.role == SmsRole.PROCESS_OWNER and a.process_code == code for a in person.role_assignments.all())


class _Builder:
    """Accumulates one process's answers topic by topic."""

    def __init__(self, state: ProcessState, process_names: Mapping[str, str]) -> None:
        self.state = state
        self.names = process_names
        self.topics = {t.value: TopicState(topic=t.value, label=str(t.label)) for t in Topic}
        self.items: dict[str, dict[str, Named]] = {t.value: {} for t in Topic}
        self.item_people: dict[tuple[str, str], set[int]] = {}
        self.item_details: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
        self.related: dict[str, set[int]] = {}
        self.related_people: dict[str, list[str]] = {}

    def add_table(self, topic: str, question: Question, value: Any, person: PersonRef, draft: bool) -> None:
        for item, others in table_rows(question, value):
            key = " ".join(item.split()).casefold()
            named = self.items[topic].get(key)
            if named is None:
                named = self.items[topic][key] = Named(label=item)
            people = self.item_people.setdefault((topic, key), set())
            if person.pk not in people:
                people.add(person.pk)
                named.people.append(person.name)
            named.count = len(people)
            named.draft = named.draft and draft
            details = self.item_details.setdefault((topic, key), {})
            for label, text in others:
                details.setdefault(label, {}).setdefault(text.casefold(), text)

    def add_relations(self, value: Any, person: PersonRef) -> None:
        for code in value if isinstance(value, list) else [value]:
            code = str(code)
            if code == self.state.code:
                continue
            people = self.related.setdefault(code, set())
            if person.pk not in people:
                people.add(person.pk)
                self.related_people.setdefault(code, []).append(person.name)

    def finish(self) -> list[TopicState]:
        for topic, merged in self.items.items():
            ordered = sorted(enumerate(merged.items()), key=lambda pair: (-pair[1][1].count, pair[0]))
            for _i, (key, named) in ordered:
                details = self.item_details.get((topic, key), {})
                named.details = [Detail(label=label, values=list(values.values())) for label, values in details.items()]
                self.topics[topic].items.append(named)
        relations = self.topics[Topic.RELATIONS]
        order = list(self.names)
        for code, people in sorted(
            self.related.items(), key=lambda kv: (-len(kv[1]), order.index(kv[0]) if kv[0] in order else 99, kv[0])
        ):
            relations.related.append(
                Related(
                    code=code,
                    name=self.names.get(code, code),
                    count=len(people),
                    people=self.related_people[code],
                    known=code in self.names,
                )
            )
        return list(self.topics.values())


def _count_responses(counts: Counts, responses: Iterable[ResponseRow]) -> None:
    for response in responses:
        counts.total += 1
        if response.status == ResponseStatus.SUBMITTED:
            counts.submitted += 1
        elif response.status == ResponseStatus.IN_PROGRESS:
            counts.in_progress += 1
        else:
            counts.not_started += 1


class _Question:
    """One question of a process questionnaire, gathered over every response: its fact (what was said), its
    gap (who has not answered), the levels given, and what goes to the builder's topics."""

    def __init__(self, builder: _Builder, question: Question, process_names: Mapping[str, str]) -> None:
        self.builder = builder
        self.question = question
        self.process_names = process_names
        self.topic = question.topic if question.topic in builder.topics else Topic.OTHER
        self.fact = Fact(question=question.tr.text, key=question.key, kind=question.kind)
        self.gap = Gap(question=question.tr.text, required=question.required)
        self.levels: list[float] = []

    def add(self, answer: AnswerRow, files: list[str], person: PersonRef, draft: bool) -> None:
        """An answered answer: a table's rows, related processes, files or a fact said."""
        question, kind = self.question, self.question.kind
        if kind == QuestionKind.TABLE:
            self.builder.add_table(self.topic, question, answer.value, person, draft)
        elif kind == QuestionKind.PROCESS_REF:
            self.builder.add_relations(answer.value, person)
        elif kind == QuestionKind.ATTACHMENT:
            self.builder.topics[self.topic].files.extend(
                Said(text=name, person=person.name, draft=draft) for name in files
            )
        else:
            text = answer_text(question, answer.value, files, self.process_names)
            self.fact.answers.append(Said(text=text, person=person.name, draft=draft))
            if kind == QuestionKind.YES_NO:
                self.fact.yes += answer.value == "yes"
                self.fact.no += answer.value == "no"
            value = answer.value
            if kind in (QuestionKind.SCALE, QuestionKind.NUMBER) and isinstance(value, (int, float)):
                self.levels.append(float(value))

    def finish(self, state: ProcessState) -> None:
        if self.question.kind not in (QuestionKind.TABLE, QuestionKind.PROCESS_REF, QuestionKind.ATTACHMENT):
            self.fact.average = round(sum(self.levels) / len(self.levels), 1) if self.levels else None
            self.builder.topics[self.topic].facts.append(self.fact)
        if self.gap.people:
            state.unanswered.append(self.gap)


def _add_question(
    state: ProcessState,
    gathered: _Question,
    responses: list[ResponseRow],
    data: SurveyData,
) -> None:
    """What every response said to one question: flags, the expected and given answers, and the facts."""
    question = gathered.question
    question_id, kind = question.pk, question.kind  # read once: this loop runs for every response
    for response in responses:
        answer = data.answers.get((response.pk, question_id))
        is_started = response.status != ResponseStatus.NOT_STARTED
        if answer is None and not is_started:
            continue
        person = response.respondent.person
        draft = response.status != ResponseStatus.SUBMITTED
        files = data.files_of(answer)
        if answer is not None and answer.flagged:
            state.flagged.append(
                Flag(
                    question=question.tr.text,
                    person=person.name,
                    person_id=person.pk,
                    answer=answer_text(question, answer.value, files, gathered.process_names),
                    note=answer.flag_note,
                    draft=draft,
                )
            )
        answered = answer is not None and is_answered(kind, answer.value, len(files))
        if is_started:
            state.expected += 1
            state.answered += answered
        if answered:
            assert answer is not None  # answered implies an answer row
            gathered.add(answer, files, person, draft)
        elif is_started:
            gathered.gap.people.append(person.name)
    gathered.finish(state)


def build_process_state(
    process: Process,
    data: SurveyData,
    *,
    people: Iterable[Person],
    process_names: Mapping[str, str],
) -> ProcessState:
    """The summary of one process from already loaded data (no queries)."""
    state = ProcessState(
        code=process.code,
        name=process.tr.name,
        group=process.group.code,
        group_name=process.group.tr.name,
        order=process.order,
        owner_people=[p.name for p in people if _is_owner_of(p, process.code)],
    )
    builder = _Builder(state, process_names)
    respondent_ids: dict[int, None] = {}
    for questionnaire in data.questionnaires:
        if questionnaire.kind != QuestionnaireKind.PROCESS or questionnaire.process_code != process.code:
            continue
        state.questionnaires.append(questionnaire.tr.title)
        responses = data.responses_to(questionnaire)
        _count_responses(state.responses, responses)
        for response in responses:
            if response.status != ResponseStatus.NOT_STARTED:
                respondent_ids.setdefault(response.respondent.person_id, None)
        for question in _sorted_topics(data.questions(questionnaire)):
            _add_question(state, _Question(builder, question, process_names), responses, data)
    state.respondent_ids = list(respondent_ids)
    state.topics = builder.finish()
    return state


# --- Reads for pages and the API -----------------------------------------------------------------------


@dataclass
class EngagementState:
    processes: list[ProcessState]
    graph: RelationGraph

    @property
    def relations(self) -> list[tuple[ProcessState, Related]]:
        """Every (process, related process) pair named, for the text alternative of the map."""
        return [(p, r) for p in self.processes for r in p.topic(Topic.RELATIONS).related]

    def as_dict(self) -> dict[str, Any]:
        """Every process's state and the relations between the processes, as the API gives them."""
        return {
            "processes": [p.as_dict() for p in self.processes],
            "relations": [
                {
                    "source": e.source,
                    "target": e.target,
                    "count": e.count,
                    "back_count": e.back_count,
                    "mutual": e.mutual,
                }
                for e in self.graph.edges
            ],
        }


def relation_graph(states: Iterable[ProcessState]) -> RelationGraph:
    listed = list(states)
    nodes = [MapNode(code=s.code, name=s.name, group=s.group, group_name=s.group_name) for s in listed]
    relations = {s.code: {r.code: r.count for r in s.topic(Topic.RELATIONS).related} for s in listed}
    return build_graph(nodes, relations)


def _process_questionnaires(engagement: Engagement, codes: list[str]) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(
        engagement=engagement, kind=QuestionnaireKind.PROCESS, process_code__in=codes
    ).order_by("order", "pk")


def _process_owners(engagement: Engagement) -> list[Person]:
    """The people holding a process-owner role, with their roles: only they can be a process's owner."""
    return list(
        Person.objects.filter(engagement=engagement, role_assignments__role=SmsRole.PROCESS_OWNER)
        .distinct()
        .prefetch_related("role_assignments")
        .order_by("name", "pk")
    )


def engagement_state(engagement: Engagement) -> EngagementState:
    """Every process of the lens, in lens order, with its summary, and the relations graph between them."""
    processes = lens_processes()
    names = {p.code: p.tr.name for p in processes}
    data = load_survey(_process_questionnaires(engagement, list(names)))
    people = _process_owners(engagement)
    states = [build_process_state(p, data, people=people, process_names=names) for p in processes]
    return EngagementState(processes=states, graph=relation_graph(states))


def process_state(engagement: Engagement, code: str) -> ProcessState | None:
    """One process's summary, or None when the code is not a process of the lens."""
    processes = lens_processes()
    names = {p.code: p.tr.name for p in processes}
    process = next((p for p in processes if p.code == code), None)
    if process is None:
        return None
    data = load_survey(_process_questionnaires(engagement, [code]))
    people = _process_owners(engagement)
    return build_process_state(process, data, people=people, process_names=names)
