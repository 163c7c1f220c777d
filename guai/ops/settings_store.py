"""Run-time settings an administrator changes in the web UI, kept as JSON in app_settings; every change audited.

Keys: branding (district name, logo, colours, contact numbers), the retention policy and the masking
policy (guai.privacy.MaskingPolicy as its dict). Other features read them with the load_* helpers.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from guai.audit import record
from guai.config import Settings
from guai.db.models.settings import AppSetting

BRANDING_KEY = "ops.branding"
RETENTION_KEY = "ops.retention"
MASKING_KEY = "privacy.masking_policy"

COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
PHONE_RE = re.compile(r"^(\d{2,4}-\d{3,4}-\d{4}|\d{3,4}(-\d{4})?)$")
LOGO_TYPES = {
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"RIFF": ("webp", "image/webp"),
}
LOGO_MAX_BYTES = 512 * 1024


class SettingsError(ValueError):
    """One or more values are invalid; `problems` lists Korean messages, nothing was saved."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def get_json(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(AppSetting, key)
    if row is None:
        return default
    try:
        return json.loads(row.value)
    except ValueError:
        return default


def set_json(
    session: Session,
    key: str,
    value: Any,
    *,
    actor: str,
    client: str | None = None,
    department: str | None = None,
) -> bool:
    """Store a value and audit the change (before/after); returns False when nothing changed."""
    before = get_json(session, key)
    if before == value:
        return False
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    row = session.get(AppSetting, key)
    if row is None:
        session.add(AppSetting(key=key, value=text, updated_by=actor[:64]))
    else:
        row.value = text
        row.updated_by = actor[:64]
    record(
        session,
        actor=actor,
        action="settings.change",
        target=key,
        client=client,
        department=department,
        detail={"before": before, "after": value},
    )
    return True


@dataclass
class Branding:
    district_name: str = ""
    title: str = "구 AI"
    primary_color: str = "#1f5fbf"
    accent_color: str = "#174a96"
    phone_main: str = ""
    phone_helpdesk: str = ""
    helpdesk_label: str = "정보화 담당"
    logo: str | None = None  # file name under GUAI_HOME/branding

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Branding:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def load_branding(session: Session, settings: Settings) -> Branding:
    branding = Branding.from_dict(get_json(session, BRANDING_KEY, {}) or {})
    if not branding.district_name:
        branding.district_name = settings.district_name
    return branding


def validate_branding(form: dict[str, str]) -> dict[str, str]:
    """Check the submitted branding fields; raise SettingsError listing every problem."""
    problems: list[str] = []
    out: dict[str, str] = {}
    name = form.get("district_name", "").strip()
    if not 2 <= len(name) <= 20:
        problems.append("기관 이름은 2~20자로 쓰세요 (예: 가온구).")
    out["district_name"] = name
    title = form.get("title", "").strip() or "구 AI"
    if len(title) > 20:
        problems.append("서비스 이름은 20자 이하로 쓰세요.")
    out["title"] = title
    for key, label in (("primary_color", "기본 색"), ("accent_color", "강조 색")):
        value = form.get(key, "").strip()
        if not COLOR_RE.match(value):
            problems.append(f"{label}은 #RRGGBB 형식이어야 합니다 (입력: {value or '빈 값'}).")
        out[key] = value.lower()
    for key, label in (("phone_main", "대표 전화"), ("phone_helpdesk", "문의 전화")):
        value = form.get(key, "").strip()
        if value and not PHONE_RE.match(value):
            problems.append(f"{label} 번호 형식이 올바르지 않습니다: {value} (예: 02-2600-1234, 120).")
        out[key] = value
    label = form.get("helpdesk_label", "").strip() or "정보화 담당"
    if len(label) > 30:
        problems.append("문의처 이름은 30자 이하로 쓰세요.")
    out["helpdesk_label"] = label
    if problems:
        raise SettingsError(problems)
    return out


def save_logo(settings: Settings, data: bytes) -> str:
    """Validate (PNG/JPEG/WebP by content, size) and store the logo; returns its file name."""
    if not data:
        raise SettingsError(["로고 파일이 비어 있습니다."])
    if len(data) > LOGO_MAX_BYTES:
        raise SettingsError([f"로고 파일은 {LOGO_MAX_BYTES // 1024}KB 이하여야 합니다."])
    kind = next((v for magic, v in LOGO_TYPES.items() if data.startswith(magic)), None)
    if kind is None or (kind[0] == "webp" and data[8:12] != b"WEBP"):
        raise SettingsError(
            ["로고는 PNG, JPEG, WebP 이미지만 올릴 수 있습니다 (SVG는 보안상 받지 않습니다)."]
        )
    folder = branding_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"logo.{kind[0]}"
    for old in folder.glob("logo.*"):
        old.unlink()
    tmp = folder / f".{name}.tmp"
    tmp.write_bytes(data)
    tmp.replace(folder / name)
    return name


def branding_dir(settings: Settings) -> Path:
    return settings.home / "branding"


def update_branding(
    session: Session,
    settings: Settings,
    form: dict[str, str],
    *,
    logo: bytes | None,
    remove_logo: bool,
    actor: str,
    client: str | None,
    department: str | None,
) -> bool:
    values = validate_branding(form)
    current = load_branding(session, settings)
    if remove_logo:
        for old in branding_dir(settings).glob("logo.*"):
            old.unlink()
        values["logo"] = None
    elif logo:
        values["logo"] = save_logo(settings, logo)
    else:
        values["logo"] = current.logo
    merged = {**asdict(current), **values}
    return set_json(session, BRANDING_KEY, merged, actor=actor, client=client, department=department)


def load_masking_policy(session: Session) -> Any:
    """The stored guai.privacy.MaskingPolicy (defaults when none stored). For the model gateway."""
    from guai.privacy import MaskingPolicy

    data = get_json(session, MASKING_KEY)
    return MaskingPolicy.from_dict(data) if data else MaskingPolicy()


def update_masking_policy(
    session: Session, data: dict[str, Any], *, actor: str, client: str | None, department: str | None
) -> bool:
    from guai.privacy import MaskingPolicy

    try:
        policy = MaskingPolicy.from_dict(data)
    except ValueError as exc:
        raise SettingsError([str(exc)]) from exc
    return set_json(session, MASKING_KEY, policy.to_dict(), actor=actor, client=client, department=department)


def update_retention(
    session: Session, raw: dict[str, object], *, actor: str, client: str | None, department: str | None
) -> bool:
    from guai.ops.retention import RetentionError, validate_policy

    try:
        policy = validate_policy(raw)
    except RetentionError as exc:
        raise SettingsError([str(exc)]) from exc
    return set_json(session, RETENTION_KEY, policy, actor=actor, client=client, department=department)
