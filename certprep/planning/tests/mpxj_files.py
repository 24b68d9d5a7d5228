"""MPXJ as the independent reader and writer of MS Project files in the exchange tests: it reads certprep's
MSPDI export (UniversalProjectReader, as it reads MS Project's own files) and writes MSPDI files of projects
built in it (MSPDIWriter). The JVM starts once per process (certprep.planning.scheduling.tests.mpxj_oracle);
without Java this module fails to import, and so do the tests using it: nothing skips."""

from __future__ import annotations

from typing import Any

import jpype

from certprep.planning.scheduling.tests.mpxj_oracle import start_jvm

start_jvm()

ByteArrayInputStream = jpype.JClass("java.io.ByteArrayInputStream")
ByteArrayOutputStream = jpype.JClass("java.io.ByteArrayOutputStream")
UniversalProjectReader = jpype.JClass("org.mpxj.reader.UniversalProjectReader")
MSPDIWriter = jpype.JClass("org.mpxj.mspdi.MSPDIWriter")
org_mpxj = jpype.JPackage("org.mpxj")
DayOfWeek = jpype.JPackage("java.time").DayOfWeek


def read_project(data: bytes) -> Any:
    """The project MPXJ reads from a file's bytes (whatever its format)."""
    return UniversalProjectReader().read(ByteArrayInputStream(data))


def write_mspdi(project: Any) -> bytes:
    """An MPXJ project as MPXJ's own MSPDI writer writes it."""
    out = ByteArrayOutputStream()
    MSPDIWriter().write(project, out)
    return bytes(out.toByteArray())


def text(value: Any) -> str | None:
    return None if value is None else str(value.toString())
