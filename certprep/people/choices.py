"""The roles a person of the organization holds in the service management system (SMS).

A role is held either for the management system as a whole (top management, the SMS manager) or for one
process of the 13-process lens (the owner of change management). The processes themselves are named only in
the catalogue's lens file (certprep.catalogue.selectors.lens_processes)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsRole(models.TextChoices):
    """A role in the SMS. The values are stored (questionnaire audiences, role assignments, files)."""

    TOP_MANAGEMENT = "top_management", _("Top management")
    SMS_MANAGER = "sms_manager", _("SMS manager")
    QUALITY_MANAGER = "quality_manager", _("Quality manager")
    PROCESS_OWNER = "process_owner", _("Process owner")
    PROCESS_MANAGER = "process_manager", _("Process manager")
    PROCESS_COORDINATOR = "process_coordinator", _("Process coordinator")
    PROCESS_EXECUTOR = "process_executor", _("Process executor")


# Roles held for one process: a person is the owner *of change management*, never an owner in general.
PROCESS_ROLES: frozenset[str] = frozenset(
    {SmsRole.PROCESS_OWNER, SmsRole.PROCESS_MANAGER, SmsRole.PROCESS_COORDINATOR, SmsRole.PROCESS_EXECUTOR}
)
# Roles held for the management system as a whole.
SYSTEM_ROLES: frozenset[str] = frozenset(role.value for role in SmsRole if role.value not in PROCESS_ROLES)

# A process role as written after a process: "Change management: owner".
PROCESS_ROLE_SHORT = {
    SmsRole.PROCESS_OWNER: _("owner"),
    SmsRole.PROCESS_MANAGER: _("manager"),
    SmsRole.PROCESS_COORDINATOR: _("coordinator"),
    SmsRole.PROCESS_EXECUTOR: _("executor"),
}

# How each role is written in English and in Chinese, whatever the translation catalogue holds: the first
# English and the first Chinese name are the ones written out; every name is accepted when read. The short
# names of the process roles are only read after a process ("变更管理：所有者").
ROLE_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    SmsRole.TOP_MANAGEMENT: {"en": ("Top management",), "zh": ("最高管理者", "最高管理层")},
    SmsRole.SMS_MANAGER: {
        "en": ("SMS manager", "Service management system manager"),
        "zh": ("服务管理体系经理", "服务管理体系负责人", "SMS经理", "体系经理"),
    },
    SmsRole.QUALITY_MANAGER: {"en": ("Quality manager",), "zh": ("质量经理", "质量负责人")},
    SmsRole.PROCESS_OWNER: {"en": ("Process owner",), "zh": ("过程所有者", "过程负责人")},
    SmsRole.PROCESS_MANAGER: {"en": ("Process manager",), "zh": ("过程经理",)},
    SmsRole.PROCESS_COORDINATOR: {"en": ("Process coordinator",), "zh": ("过程协调员", "过程协调人")},
    SmsRole.PROCESS_EXECUTOR: {"en": ("Process executor",), "zh": ("过程执行者", "过程执行人员", "过程执行人")},
}
PROCESS_ROLE_SHORT_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    SmsRole.PROCESS_OWNER: {"en": ("owner",), "zh": ("所有者", "负责人")},
    SmsRole.PROCESS_MANAGER: {"en": ("manager",), "zh": ("经理",)},
    SmsRole.PROCESS_COORDINATOR: {"en": ("coordinator",), "zh": ("协调员", "协调人")},
    SmsRole.PROCESS_EXECUTOR: {"en": ("executor",), "zh": ("执行者", "执行人员", "执行人")},
}


def is_process_role(role: str) -> bool:
    return role in PROCESS_ROLES
