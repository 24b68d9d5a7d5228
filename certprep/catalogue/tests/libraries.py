"""CISO Assistant framework libraries in the shapes of real ones, written for the tests and the bench.

The real libraries are not shipped with certprep; these reproduce what made certprep stumble on them,
with made-up texts: NIST SP 800-53 families with alphanumeric references (``AC``, ``AC-2``,
``AC-2(1)``), ISO/IEC 27001:2022's ``core`` and ``annex-a`` top nodes, ISO/IEC 42001's top level mixing
``4``..``10`` with ``A``, and NZISM v3's parents that have neither reference nor name, only a
description. Each builder returns the bytes of a library the importer reads as it is.
"""

from __future__ import annotations

from typing import Any

import yaml


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes every value out: certprep refuses YAML anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def library(*, slug: str, name: str, nodes: list[dict[str, Any]], version: int = 1) -> bytes:
    """A CISO Assistant library holding one framework whose requirement nodes are `nodes`."""
    data = {
        "urn": f"urn:certprep-test:risk:library:{slug}",
        "locale": "en",
        "ref_id": slug.upper(),
        "name": name,
        "version": version,
        "provider": "certprep tests",
        "objects": {
            "framework": {
                "urn": f"urn:certprep-test:risk:framework:{slug}",
                "ref_id": slug.upper(),
                "name": name,
                "requirement_nodes": nodes,
            }
        },
    }
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120).encode()


def node(slug: str, key: str, *, parent: str | None = None, assessable: bool = False, **texts: str) -> dict[str, Any]:
    """One requirement node; `key` makes its URN, `texts` are ref_id, name, description as given."""
    item: dict[str, Any] = {"urn": f"urn:certprep-test:risk:req_node:{slug}:{key}", "assessable": assessable}
    if parent is not None:
        item["parent_urn"] = f"urn:certprep-test:risk:req_node:{slug}:{parent}"
    item.update({field: value for field, value in texts.items() if value})
    return item


NIST_FAMILIES = [
    ("AC", "Access control"),
    ("AT", "Awareness and training"),
    ("AU", "Audit and accountability"),
    ("CM", "Configuration management"),
    ("IR", "Incident response"),
    ("SC", "System and communications protection"),
]


def nist_like(*, controls: int = 3, enhancements: int = 2, version: int = 1) -> bytes:
    """NIST SP 800-53 shaped: families `AC`..., controls `AC-1`, enhancements `AC-1(1)` (both assessable)."""
    slug = "nist-like"
    nodes = []
    for family, title in NIST_FAMILIES:
        nodes.append(node(slug, family.lower(), ref_id=family, name=title))
        for number in range(1, controls + 1):
            control = f"{family}-{number}"
            nodes.append(
                node(
                    slug,
                    control.lower(),
                    parent=family.lower(),
                    assessable=True,
                    ref_id=control,
                    name=f"{title} control {number}",
                    description=f"The organization defines and applies {title.lower()} measure {number}.",
                )
            )
            for enhancement in range(1, enhancements + 1):
                ref = f"{control}({enhancement})"
                nodes.append(
                    node(
                        slug,
                        f"{control.lower()}.{enhancement}",
                        parent=control.lower(),
                        assessable=True,
                        ref_id=ref,
                        name=f"Enhancement {enhancement} of {control}",
                        description=f"A stronger form of {control}, variant {enhancement}.",
                    )
                )
    return library(slug=slug, name="NIST SP 800-53 shaped test framework", nodes=nodes, version=version)


def iso27001_like() -> bytes:
    """ISO/IEC 27001:2022 shaped: top nodes `core` and `annex-a`, dotted clauses and `A.5.1` controls."""
    slug = "iso27001-like"
    nodes = [node(slug, "core", ref_id="core", name="Management system requirements")]
    for clause in ("4", "5", "6"):
        nodes.append(node(slug, clause, parent="core", ref_id=clause, name=f"Clause {clause}"))
        for sub in (1, 2):
            ref = f"{clause}.{sub}"
            nodes.append(node(slug, ref, parent=clause, assessable=True, ref_id=ref, description=f"Requirement {ref}."))
    nodes.append(node(slug, "annex-a", ref_id="annex-a", name="Annex A controls"))
    for theme in ("5", "8"):
        nodes.append(node(slug, f"a.{theme}", parent="annex-a", ref_id=f"A.{theme}", name=f"Theme {theme}"))
        for control in (1, 2, 10):
            ref = f"A.{theme}.{control}"
            nodes.append(
                node(slug, ref.lower(), parent=f"a.{theme}", assessable=True, ref_id=ref, name=f"Control {ref}")
            )
    return library(slug=slug, name="ISO/IEC 27001:2022 shaped test framework", nodes=nodes)


def iso42001_like() -> bytes:
    """ISO/IEC 42001 shaped: top level `4`..`10` (assessable sub-clauses) next to `A` (annex controls)."""
    slug = "iso42001-like"
    nodes = []
    for clause in range(4, 11):
        nodes.append(node(slug, str(clause), ref_id=str(clause), name=f"Clause {clause}"))
        ref = f"{clause}.1"
        nodes.append(node(slug, ref, parent=str(clause), assessable=True, ref_id=ref, name=f"Sub-clause {ref}"))
    nodes.append(node(slug, "a", ref_id="A", name="Reference control objectives and controls"))
    for control in ("A.2.2", "A.10.3"):
        nodes.append(
            node(slug, control.lower(), parent="a", assessable=True, ref_id=control, name=f"Control {control}")
        )
    return library(slug=slug, name="ISO/IEC 42001 shaped test framework", nodes=nodes)


NZISM_CHAPTERS = [
    "Information security governance: roles, responsibilities and reporting lines for security.",
    "System certification and accreditation: how systems are approved for use.",
    "Information security incidents: detecting, reporting and managing incidents.",
    "Physical security: protecting facilities, equipment and media.",
    "Personnel security: clearances, briefings and training of staff.",
    "Communications systems and devices: cabling, telephony and mobile devices.",
    "Product security: selecting, installing and maintaining evaluated products.",
    "Media and IT equipment management: handling, sanitisation and disposal.",
    "Software security: patching, application control and secure development.",
    "Access control: identification, authentication and privileged access.",
    "Cryptography: approved algorithms, protocols and key management.",
    "Network security: segmentation, gateways and remote access.",
]


def nzism_like(*, nodes: int = 60, sections: int = 4) -> bytes:
    """NZISM v3 shaped: chapters and sections without ref_id or name (only a description), controls under
    them with dotted references and paragraphs under each control (both assessable); exactly `nodes` nodes."""
    slug = "nzism-like"
    items: list[dict[str, Any]] = []
    chapter = 0
    while len(items) < nodes:
        text = NZISM_CHAPTERS[chapter % len(NZISM_CHAPTERS)]
        chapter += 1
        chapter_key = f"ch{chapter}"
        items.append(node(slug, chapter_key, description=f"{text} (part {chapter})"))
        for section in range(1, sections + 1):
            if len(items) >= nodes:
                break
            section_key = f"{chapter_key}.s{section}"
            subject = text.split(":")[0]
            items.append(
                node(
                    slug,
                    section_key,
                    parent=chapter_key,
                    description=f"{subject}, section {section}: the controls below.",
                )
            )
            for control in range(1, 6):
                if len(items) >= nodes:
                    break
                ref = f"{chapter}.{section}.{control}"
                items.append(
                    node(
                        slug,
                        ref,
                        parent=section_key,
                        assessable=True,
                        ref_id=ref,
                        description=f"Agencies meet the objective of control {ref}.",
                    )
                )
                for paragraph in range(1, 5):
                    if len(items) >= nodes:
                        break
                    pref = f"{ref}.C{paragraph:02d}"
                    items.append(
                        node(
                            slug,
                            pref.lower(),
                            parent=ref,
                            assessable=True,
                            ref_id=pref,
                            description=f"Agencies apply paragraph {paragraph} of control {ref} to {subject.lower()}.",
                        )
                    )
    return library(slug=slug, name="NZISM v3 shaped test framework", nodes=items)
