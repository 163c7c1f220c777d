"""Complaint operations shared by CLI, web and demo: import a file, train/evaluate/use the router.

import_file(session, data, name, *, actor, settings=None, overrides=None, strict=False, progress=None)
    -> ImportReport   (atomic in the caller's transaction; audited)
train_router(session, *, settings=None, label_field=None) -> Router
suggest(texts, *, settings=None, k=3, session=None) -> list[list[Suggestion]]
evaluate_imported(session, *, label_field=None) -> Evaluation
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from guai.audit import record
from guai.complaints import routing
from guai.complaints.importer import ImportReport, file_sha256, import_table
from guai.complaints.index import index_dir
from guai.complaints.reader import read_table
from guai.config import Settings, get_settings
from guai.db.models.complaints import Complaint


class RouterNotTrainedError(LookupError):
    """No routing model yet: train one first."""


def import_file(
    session: Session,
    data: bytes,
    name: str,
    *,
    actor: str,
    settings: Settings | None = None,
    overrides: dict[str, str] | None = None,
    strict: bool = False,
    progress: Callable[[int, int], None] | None = None,
    client: str | None = None,
) -> ImportReport:
    """Read and import one export file; raises ImportFileError/ColumnError with nothing written."""
    settings = settings or get_settings()
    table = read_table(data, name)
    report = import_table(
        session,
        table,
        actor=actor,
        sha256=file_sha256(data),
        overrides=overrides,
        reject_dir=settings.home / "rejects",
        strict=strict,
        progress=progress,
    )
    record(
        session,
        actor=actor,
        action="complaints.import",
        target=name,
        client=client,
        detail={k: v for k, v in report.to_dict().items() if k != "columns"},
    )
    return report


def _label_field(session: Session, wanted: str | None) -> str:
    if wanted:
        if wanted not in ("department", "category"):
            raise ValueError("--label 은 department 또는 category 입니다.")
        return wanted
    with_dept = session.scalar(select(func.count()).where(Complaint.department.is_not(None))) or 0
    return "department" if with_dept else "category"


def _training_data(session: Session, label_field: str) -> tuple[list[routing.Sample], list[str]]:
    column = getattr(Complaint, label_field)
    rows = session.execute(
        select(Complaint.title_tokens, Complaint.body_tokens, Complaint.title, Complaint.content, column)
        .where(column.is_not(None))
        .order_by(Complaint.id)
    ).all()
    samples = [((f"{r[0]} {r[1]}").split(), f"{r[2]}\n{r[3] or ''}"[:2000]) for r in rows]
    return samples, [r[4] for r in rows]


def train_router(
    session: Session,
    *,
    settings: Settings | None = None,
    label_field: str | None = None,
    actor: str = "system",
) -> routing.Router:
    """Train on imported complaints with a known department (else category) and save to GUAI_HOME."""
    settings = settings or get_settings()
    field = _label_field(session, label_field)
    samples, labels = _training_data(session, field)
    router = routing.train(samples, labels, field)
    routing.save(router, index_dir(settings.index_dir))
    record(
        session,
        actor=actor,
        action="complaints.train",
        target=field,
        detail={"rows": router.trained_on, "classes": len(router.classes)},
    )
    return router


def evaluate_imported(session: Session, *, label_field: str | None = None) -> routing.Evaluation:
    field = _label_field(session, label_field)
    samples, labels = _training_data(session, field)
    return routing.evaluate("가져온 민원", samples, labels, field)


@dataclass
class Suggestion:
    label: str
    score: float
    phone: str | None = None


def suggest(
    texts: Sequence[str], *, settings: Settings | None = None, k: int = 3, session: Session | None = None
) -> tuple[str, list[list[Suggestion]]]:
    """Top-k departments (or categories) per text, with the department phone when known."""
    settings = settings or get_settings()
    router = routing.load(index_dir(settings.index_dir))
    if router is None:
        raise RouterNotTrainedError(
            "부서 추천 모델이 없습니다. 먼저 'guai complaints train' 으로 학습하세요 (가져온 민원의 처리부서로 학습합니다)."
        )
    phones: dict[str, str] = {}
    if session is not None and router.label_field == "department":
        from guai.db.models.auth import Department

        phones = {d.name: d.phone for d in session.scalars(select(Department)) if d.phone}
    results = router.suggest(texts, k)
    return router.label_field, [
        [Suggestion(label, score, phones.get(label)) for label, score in row] for row in results
    ]
