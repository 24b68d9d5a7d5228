"""Reads shared by a report build's sections (core.documents.read_once): once per key inside `reads_shared`, every
time outside it, nothing kept after it."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from certprep.core.documents import read_once, reads_shared


def _counter() -> tuple[list[Hashable], Callable[[Hashable], Callable[[], str]]]:
    calls: list[Hashable] = []

    def read(key: Hashable) -> Callable[[], str]:
        def run() -> str:
            calls.append(key)
            return f"value of {key}"

        return run

    return calls, read


def test_outside_a_build_every_call_reads() -> None:
    calls, read = _counter()
    assert read_once("a", read("a")) == "value of a"
    assert read_once("a", read("a")) == "value of a"
    assert calls == ["a", "a"]


def test_inside_a_build_each_key_is_read_once_and_forgotten_after() -> None:
    calls, read = _counter()
    with reads_shared():
        values = [
            read_once(key, read(key)) for key in ("a", ("b", 1, "zh-hans"), "a", ("b", 1, "zh-hans"), ("b", 1, "en"))
        ]
    assert values == ["value of a", "value of ('b', 1, 'zh-hans')"] * 2 + ["value of ('b', 1, 'en')"]
    assert calls == ["a", ("b", 1, "zh-hans"), ("b", 1, "en")]
    read_once("a", read("a"))
    assert calls[-1] == "a"
    assert len(calls) == 4  # the build's reads are gone with it
