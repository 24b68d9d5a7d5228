"""Hostile and broken MS Project XML files: each is refused with its own message, and nothing is saved (the plan
keeps its tasks and version, no import is recorded)."""

from __future__ import annotations

import pytest

from certprep.core.errors import ServiceError
from certprep.planning.exchange.mspdi_xml import MAX_BYTES
from certprep.planning.models import Plan, PlanImport, Task
from certprep.planning.services.plan_import import plan_import_file, plan_import_preview
from certprep.planning.tests.world import plan_world

pytestmark = pytest.mark.django_db

NS = 'xmlns="http://schemas.microsoft.com/project"'


def _task(uid: int, name: str, links: str = "", duration: str = "PT8H0M0S") -> str:
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name><OutlineLevel>1</OutlineLevel>"
        f"<Duration>{duration}</Duration>{links}</Task>"
    )


def _link(uid: int) -> str:
    return f"<PredecessorLink><PredecessorUID>{uid}</PredecessorUID><Type>1</Type></PredecessorLink>"


def _project(tasks: str) -> bytes:
    return f'<?xml version="1.0"?><Project {NS}><Tasks>{tasks}</Tasks></Project>'.encode()


XXE = f"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project {NS}><Tasks><Task><UID>1</UID><Name>&secret;</Name></Task></Tasks></Project>""".encode()
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    + f"]><Project {NS}><Name>&lol9;</Name></Project>"
).encode()
ENTITIES_ONLY = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Project {NS}><Name>&a;</Name></Project>'.encode()

HOSTILE = {
    "XXE": (XXE, "document type|external|entities"),
    "billion laughs": (LAUGHS, "document type|entities"),
    "entity declaration": (ENTITIES_ONLY, "document type|entities"),
    "oversized": (b" " * (MAX_BYTES + 1), "at most 20 MB"),
    "not XML": (b"PK\x03\x04 not xml at all", "not well-formed XML"),
    "wrong namespace": (b'<?xml version="1.0"?><Project xmlns="urn:other"><Tasks/></Project>', "not an MS Project XML"),
    "no namespace": (b'<?xml version="1.0"?><Project><Tasks/></Project>', "not an MS Project XML"),
    "wrong root": (f'<?xml version="1.0"?><Tasks {NS}/>'.encode(), "not an MS Project XML"),
    "cycle": (
        _project(_task(1, "Alpha", _link(3)) + _task(2, "Beta", _link(1)) + _task(3, "Gamma", _link(2))),
        "loop: Alpha → Beta → Gamma",
    ),
    "bad duration": (_project(_task(1, "Alpha", duration="P3 weeks")), "Task Alpha: the duration P3 weeks"),
    "too long": (_project(_task(1, "Alpha", duration="PT80000H0M0S")), "Task Alpha: a duration must be"),
    "unknown predecessor": (_project(_task(1, "Alpha", _link(9))), "Alpha: its predecessor with UID 9"),
    "outline jump": (
        _project(
            "<Task><UID>1</UID><Name>Top</Name><OutlineLevel>1</OutlineLevel></Task>"
            "<Task><UID>2</UID><Name>Deep</Name><OutlineLevel>3</OutlineLevel></Task>"
        ),
        "Task Deep: its outline level 3",
    ),
    "constraint without date": (
        _project("<Task><UID>1</UID><Name>Alpha</Name><ConstraintType>4</ConstraintType></Task>"),
        "Task Alpha: its constraint has no date",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_or_broken_file_is_refused_with_its_message_and_nothing_is_saved(case, engagement, owner):
    data, message = HOSTILE[case]
    world = plan_world(engagement)
    version = Plan.objects.get(pk=world["plan"].pk).version
    with pytest.raises(ServiceError, match=message):
        plan_import_preview(engagement=engagement, data=data, file_name="plan.xml")
    with pytest.raises(ServiceError, match=message):
        plan_import_file(engagement=engagement, actor=owner, data=data, file_name="plan.xml", expected_version=version)
    assert sorted(Task.objects.filter(plan=world["plan"]).values_list("name", flat=True)) == ["Design", "Trial"]
    assert Plan.objects.get(pk=world["plan"].pk).version == version
    assert not PlanImport.objects.exists()


def test_a_refusal_after_the_tasks_were_replaced_rolls_everything_back(engagement, owner, monkeypatch):
    """A failure late in the import (here: writing the record) leaves the plan as it was."""
    world = plan_world(engagement)
    version = Plan.objects.get(pk=world["plan"].pk).version

    def broken(**kwargs):
        raise ServiceError("disk full")

    monkeypatch.setattr("certprep.planning.services.plan_import.audit_record", broken)
    with pytest.raises(ServiceError, match="disk full"):
        plan_import_file(
            engagement=engagement,
            actor=owner,
            data=_project(_task(1, "New")),
            file_name="p.xml",
            expected_version=version,
        )
    assert sorted(Task.objects.filter(plan=world["plan"]).values_list("name", flat=True)) == ["Design", "Trial"]
    assert Plan.objects.get(pk=world["plan"].pk).version == version
