"""MS Project's binary .mpp files, read through MPXJ (Java, through JPype) when the machine has them: MPXJ reads
the .mpp and writes it as MS Project XML in memory, which the MSPDI reader then reads like any other file, so
both formats take one path. MPXJ and JPype are an optional extra (requirements-mpp.lock, `make mpp-support`);
without them, or without Java, the import says how to get them."""

from __future__ import annotations

import importlib
import importlib.util
import os
import threading
from typing import Any

from django.utils.translation import gettext as _

from certprep.core.errors import ServiceError
from certprep.planning.exchange.mspdi_xml import MAX_BYTES, MB

DEBIAN_JAVA_17 = "/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so"
_start = threading.Lock()


def java_runtime() -> str | None:
    """The JVM library JPype would start (JAVA_HOME's, Debian's Java 17 or JPype's default); None without one or
    without the mpxj and JPype packages."""
    if importlib.util.find_spec("jpype") is None or importlib.util.find_spec("mpxj") is None:
        return None
    if not os.environ.get("JAVA_HOME") and os.path.exists(DEBIAN_JAVA_17):
        return DEBIAN_JAVA_17
    jpype: Any = importlib.import_module("jpype")
    try:
        return str(jpype.getDefaultJVMPath())
    except Exception:  # JPype's JVMNotFoundException and the OS errors of a broken JAVA_HOME alike
        return None


def mpp_available() -> bool:
    return java_runtime() is not None


def unavailable_message() -> str:
    return _(
        "MS Project .mpp files need the optional MPXJ reader (Java and the mpxj package), which this installation "
        "does not have: run make mpp-support, or save the file in MS Project as XML (File > Save As > XML) and "
        "import that."
    )


def _jvm() -> Any:
    """JPype with the JVM started (once per process) and MPXJ's jars on its class path."""
    path = java_runtime()
    if path is None:
        raise ServiceError(unavailable_message())
    jpype: Any = importlib.import_module("jpype")
    importlib.import_module("mpxj")  # puts MPXJ's jars on JPype's class path
    with _start:
        if not jpype.isJVMStarted():
            jpype.startJVM(path, convertStrings=False)
    return jpype


def mpp_to_mspdi(data: bytes) -> bytes:
    """The project of an .mpp file (or any file MPXJ reads) as MS Project XML."""
    if len(data) > MAX_BYTES:
        raise ServiceError(
            _("The file is %(size)s MB; MS Project files of at most %(max)s MB are accepted.")
            % {"size": f"{len(data) / MB:.1f}", "max": MAX_BYTES // MB}
        )
    jpype = _jvm()
    streams = jpype.JPackage("java.io")
    reader = jpype.JClass("org.mpxj.reader.UniversalProjectReader")()
    try:
        project = reader.read(streams.ByteArrayInputStream(data))
    except jpype.JException as error:
        raise ServiceError(_("MPXJ could not read this file as an MS Project file.")) from error
    if project is None:
        raise ServiceError(_("MPXJ could not read this file as an MS Project file."))
    out = streams.ByteArrayOutputStream()
    jpype.JClass("org.mpxj.mspdi.MSPDIWriter")().write(project, out)
    return bytes(out.toByteArray())
