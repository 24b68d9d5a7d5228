"""The shipped plan template (data/plan_template.yaml): read and checked once, then used by generation.

The file is certprep's own data, so a mistake in it is a programming error: `load_template` raises
`TemplateError` naming what is wrong, and a test loads the shipped file."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from certprep.people.choices import SmsRole

TEMPLATE_FILE = Path(__file__).resolve().parent / "data" / "plan_template.yaml"

Sizing = Literal["fixed", "maturity", "size", "gap", "documentation", "operating"]
PROCESS_SIZINGS = frozenset({"gap", "documentation"})
KEY_PATTERN = r"^[a-z0-9][a-z0-9-]{0,40}$"


class TemplateError(ValueError):
    """The template file is not what generation expects."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in English and Simplified Chinese."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    en: str = Field(min_length=1, max_length=250)
    zh_hans: str = Field(alias="zh-hans", min_length=1, max_length=250)


class After(_Strict):
    task: str = Field(pattern=KEY_PATTERN)
    type: Literal["FS", "SS", "FF", "SF"] = "FS"
    lag: int = Field(0, ge=-500, le=500)


class TemplateTask(_Strict):
    key: str = Field(pattern=KEY_PATTERN)
    name: Text
    duration: int = Field(ge=0, le=500)
    milestone: bool = False
    sizing: Sizing
    after: tuple[After, ...] = ()
    assign: tuple[SmsRole, ...] = ()
    processes: bool = False

    @field_validator("after", mode="before")
    @classmethod
    def _bare_keys(cls, value: object) -> object:
        if isinstance(value, list):
            return [{"task": item} if isinstance(item, str) else item for item in value]
        return value

    @model_validator(mode="after")
    def _milestone_takes_no_time(self) -> TemplateTask:
        if self.milestone and self.duration:
            raise ValueError(f"{self.key}: a milestone takes 0 days")
        if not self.milestone and not self.processes and not self.duration:
            raise ValueError(f"{self.key}: a task of 0 days must be a milestone")
        return self


class TemplateStage(_Strict):
    key: str = Field(pattern=KEY_PATTERN)
    name: Text
    tasks: tuple[TemplateTask, ...] = Field(min_length=1)


class PlanTemplate(_Strict):
    version: int = Field(ge=1)
    stages: tuple[TemplateStage, ...] = Field(min_length=1)
    process_tasks: tuple[TemplateTask, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> PlanTemplate:
        _check_keys([task for stage in self.stages for task in stage.tasks], process=False)
        _check_keys(list(self.process_tasks), process=True)
        if sum(task.processes for stage in self.stages for task in stage.tasks) != 1:
            raise ValueError("exactly one stage task holds the processes (processes: true)")
        stage_keys = [stage.key for stage in self.stages]
        if len(set(stage_keys)) != len(stage_keys):
            raise ValueError("two stages share a key")
        return self

    @property
    def tasks(self) -> list[TemplateTask]:
        return [task for stage in self.stages for task in stage.tasks]


def _check_keys(tasks: list[TemplateTask], *, process: bool) -> None:
    """Keys are unique, predecessors are declared before the task (so the template has no loop), per-process
    tasks name their process and only they use the per-process sizings."""
    seen: set[str] = set()
    for task in tasks:
        if task.key in seen:
            raise ValueError(f"two tasks share the key {task.key!r}")
        for link in task.after:
            if link.task not in seen:
                raise ValueError(f"{task.key}: its predecessor {link.task!r} is not declared before it")
        if process != (task.sizing in PROCESS_SIZINGS) and task.sizing in PROCESS_SIZINGS:
            raise ValueError(f"{task.key}: the sizing {task.sizing!r} is for per-process tasks only")
        if process and not ("{process}" in task.name.en and "{process}" in task.name.zh_hans):
            raise ValueError(f"{task.key}: a per-process task names its {{process}} in both languages")
        if process and task.processes:
            raise ValueError(f"{task.key}: a per-process task cannot hold the processes")
        seen.add(task.key)


def parse_template(content: bytes | str) -> PlanTemplate:
    try:
        return PlanTemplate.model_validate(yaml.safe_load(content))
    except (ValidationError, yaml.YAMLError) as error:
        raise TemplateError(str(error)) from error


@functools.cache
def load_template() -> PlanTemplate:
    """The shipped template (read once per process)."""
    return parse_template(TEMPLATE_FILE.read_bytes())
