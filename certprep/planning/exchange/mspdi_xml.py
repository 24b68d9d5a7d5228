"""Reading MSPDI's XML safely and its values (no database): the file is parsed with defusedxml, which refuses
a document type (DTD), entity declarations (the "billion laughs" expansion) and external references (XXE)
before they can do harm; the size is checked before parsing starts. Each refusal says what was wrong."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from certprep.core.errors import ServiceError
from certprep.planning.exchange.document import NAMESPACE

MB = 1024 * 1024
MAX_BYTES = 20 * MB  # a plan of 10,000 tasks written by MS Project is about 15 MB
NS = "{" + NAMESPACE + "}"


def parse_project(data: bytes) -> Element:
    """The file's Project element; ServiceError for a file too large, not XML, hostile or not MS Project's."""
    if len(data) > MAX_BYTES:
        raise ServiceError(
            _("The file is %(size)s MB; MS Project files of at most %(max)s MB are accepted.")
            % {"size": f"{len(data) / MB:.1f}", "max": MAX_BYTES // MB}
        )
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden as error:
        raise ServiceError(
            _("The file declares a document type (DTD), which MS Project files never do; it was refused.")
        ) from error
    except EntitiesForbidden as error:
        raise ServiceError(
            _("The file declares XML entities, which can expand to billions of characters; it was refused.")
        ) from error
    except ExternalReferenceForbidden as error:
        raise ServiceError(
            _("The file refers to other files or addresses (external entities); it was refused.")
        ) from error
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise ServiceError(
            _("The file is not well-formed XML (line %(line)s, column %(column)s).") % {"line": line, "column": column}
        ) from error
    if root.tag != NS + "Project":
        raise ServiceError(
            _(
                "This is not an MS Project XML file: its root element is %(root)s, not Project in MS Project's "
                "namespace (%(namespace)s)."
            )
            % {"root": root.tag, "namespace": NAMESPACE}
        )
    return root


def children(element: Element | None, path: str) -> Iterator[Element]:
    """The elements at `path` ("Tasks/Task") below `element`, in MS Project's namespace."""
    if element is None:
        return iter(())
    return iter(element.findall("/".join(NS + part for part in path.split("/"))))


def value(element: Element, tag: str) -> str | None:
    """The text of the child `tag`, stripped; None when it is missing or empty."""
    found = element.find(NS + tag)
    if found is None or found.text is None or not found.text.strip():
        return None
    return found.text.strip()


def text(element: Element, tag: str) -> str:
    found = element.find(NS + tag)
    return (found.text or "") if found is not None else ""


def number(element: Element, tag: str, default: int = 0) -> int:
    """An integer child; ValueError when it is there and is not one."""
    found = value(element, tag)
    return default if found is None else int(found)


def decimal_text(element: Element, tag: str) -> str | None:
    return value(element, tag)


def flag(element: Element, tag: str) -> bool:
    return value(element, tag) in ("1", "true")


def moment(element: Element, tag: str) -> datetime.datetime | None:
    """A date-time child (2026-01-05T08:00:00); ValueError when it is not one."""
    found = value(element, tag)
    return None if found is None else datetime.datetime.fromisoformat(found)


def day(element: Element, tag: str) -> datetime.date | None:
    found = moment(element, tag)
    return None if found is None else found.date()
