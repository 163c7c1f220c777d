"""Directory groups and attributes → guai department and role (first matching department rule wins)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from guai.auth.departments import find_department
from guai.auth.users import parse_role
from guai.config import Settings
from guai.db.models.auth import Department, Role

ROLE_RANK = {Role.STAFF.value: 0, Role.DEPT_ADMIN.value: 1, Role.SYSTEM_ADMIN.value: 2}


class MappingError(ValueError):
    """The configured mapping itself is invalid (message is Korean)."""


@dataclass(frozen=True)
class GroupRule:
    """A directory group (full DN or its first RDN value, e.g. CN) granting a department and/or role."""

    group: str
    department: str | None = None
    role: str | None = None

    def matches(self, groups: Iterable[str]) -> bool:
        wanted = self.group.strip().casefold()
        return any(wanted in _group_names(g) for g in groups)


@dataclass(frozen=True)
class SsoMapping:
    rules: tuple[GroupRule, ...] = ()
    department_attribute: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SsoMapping:
        rules = []
        for i, raw in enumerate(settings.sso_mapping, start=1):
            group = (raw.get("group") or "").strip()
            if not group:
                raise MappingError(f"sso_mapping {i}번째 규칙에 group 값이 없습니다.")
            unknown = set(raw) - {"group", "department", "role"}
            if unknown:
                raise MappingError(
                    f"sso_mapping {i}번째 규칙에 알 수 없는 키가 있습니다: {', '.join(sorted(unknown))}"
                )
            role = raw.get("role")
            rules.append(
                GroupRule(group, raw.get("department") or None, parse_role(role).value if role else None)
            )
        return cls(tuple(rules), settings.sso_department_attribute or None)


@dataclass
class MappingResult:
    department: Department | None
    role: str
    matched: list[str] = field(default_factory=list)


def _group_names(group: str) -> set[str]:
    """Names a group may be referred to by: the full DN and the value of its first RDN."""
    g = group.strip()
    names = {g.casefold()}
    first = g.split(",", 1)[0]
    if "=" in first:
        names.add(first.split("=", 1)[1].strip().casefold())
    return names


def _attribute_values(attributes: Mapping[str, Any], name: str) -> list[str]:
    for key, value in attributes.items():
        if key.casefold() == name.casefold():
            if isinstance(value, list | tuple):
                return [str(v) for v in value if v]
            return [str(value)] if value else []
    return []


def resolve_mapping(
    session: Session, mapping: SsoMapping, groups: Iterable[str], attributes: Mapping[str, Any]
) -> MappingResult:
    """Department from the first matching rule (else from the department attribute); highest matching role."""
    groups = list(groups)
    department: Department | None = None
    role = Role.STAFF.value
    matched: list[str] = []
    for rule in mapping.rules:
        if not rule.matches(groups):
            continue
        matched.append(rule.group)
        if rule.department and department is None:
            department = find_department(session, rule.department)
            if department is None:
                raise MappingError(
                    f"매핑 규칙의 부서 '{rule.department}'이(가) guai에 없습니다. 부서를 먼저 추가하세요."
                )
        if rule.role and ROLE_RANK[rule.role] > ROLE_RANK[role]:
            role = rule.role
    if department is None and mapping.department_attribute:
        for value in _attribute_values(attributes, mapping.department_attribute):
            department = find_department(session, value)
            if department is not None:
                matched.append(f"{mapping.department_attribute}={value}")
                break
    return MappingResult(department, role, matched)
