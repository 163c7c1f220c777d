"""Collections: create with a visibility, list with counts, remove (chunks, documents and index files)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from guai.db.base import utcnow
from guai.db.models.auth import Department
from guai.db.models.knowledge import KnowledgeChunk, KnowledgeCollection, KnowledgeDocument

VISIBILITY_HELP = "public(시민 포함 모두) | staff(모든 직원) | department:부서명(그 부서 직원만)"


class CollectionError(ValueError):
    """Bad collection name or visibility; the message is shown to the user as is."""


@dataclass(frozen=True)
class Visibility:
    kind: str  # public | staff | department
    department: str | None = None

    def label(self) -> str:
        return f"department:{self.department}" if self.kind == "department" else self.kind


def parse_visibility(text: str) -> Visibility:
    """ "public", "staff" or "department:NAME" (Korean aliases 공개/직원/부서:NAME accepted)."""
    raw = (text or "").strip()
    low = raw.lower()
    if low in ("public", "공개"):
        return Visibility("public")
    if low in ("staff", "직원"):
        return Visibility("staff")
    for prefix in ("department:", "dept:", "부서:"):
        if low.startswith(prefix):
            name = raw[len(prefix) :].strip()
            if not name:
                break
            return Visibility("department", name)
    raise CollectionError(f"공개 범위 '{raw}'을(를) 알 수 없습니다. 쓸 수 있는 값: {VISIBILITY_HELP}")


def find_collection(session: Session, name: str) -> KnowledgeCollection | None:
    return session.scalar(select(KnowledgeCollection).where(KnowledgeCollection.name == name))


def _department_id(session: Session, name: str) -> int:
    dept = session.scalar(select(Department).where(Department.name == name))
    if dept is None:
        raise CollectionError(
            f"부서 '{name}'이(가) 없습니다. `guai departments list`로 부서 이름을 확인하세요."
        )
    return dept.id


def ensure_collection(
    session: Session, name: str, visibility: Visibility | None = None, description: str | None = None
) -> tuple[KnowledgeCollection, bool]:
    """The named collection (created when missing, default visibility staff); returns (collection, changed)."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise CollectionError("컬렉션 이름은 1~100자로 정해 주세요. 예: --collection 법령")
    coll = find_collection(session, name)
    vis = visibility or Visibility("staff")
    dept_id = _department_id(session, vis.department) if vis.kind == "department" and vis.department else None
    if coll is None:
        coll = KnowledgeCollection(
            name=name, visibility=vis.kind, department_id=dept_id, description=description, generation=0
        )
        session.add(coll)
        session.flush()
        return coll, True
    if visibility is not None and (coll.visibility != vis.kind or coll.department_id != dept_id):
        coll.visibility = vis.kind
        coll.department_id = dept_id
        coll.updated_at = utcnow()
        session.flush()
        return coll, True
    return coll, False


def bump_generation(session: Session, collection_id: int) -> None:
    """Mark the collection changed so every worker rebuilds or reloads its index on next search."""
    session.execute(
        update(KnowledgeCollection)
        .where(KnowledgeCollection.id == collection_id)
        .values(generation=KnowledgeCollection.generation + 1, updated_at=utcnow())
    )


@dataclass
class CollectionInfo:
    id: int
    name: str
    visibility: str
    documents: int
    chunks: int
    generation: int
    updated_at: str


def list_collections(session: Session, collection_ids: set[int] | None = None) -> list[CollectionInfo]:
    """Collections with document and chunk counts (only `collection_ids` when given)."""
    docs = dict(
        session.execute(
            select(KnowledgeDocument.collection_id, func.count()).group_by(KnowledgeDocument.collection_id)
        ).all()
    )
    chunks = dict(
        session.execute(
            select(KnowledgeChunk.collection_id, func.count()).group_by(KnowledgeChunk.collection_id)
        ).all()
    )
    out: list[CollectionInfo] = []
    for coll in session.scalars(select(KnowledgeCollection).order_by(KnowledgeCollection.name)):
        if collection_ids is not None and coll.id not in collection_ids:
            continue
        out.append(
            CollectionInfo(
                coll.id,
                coll.name,
                coll.visibility_label,
                docs.get(coll.id, 0),
                chunks.get(coll.id, 0),
                coll.generation,
                coll.updated_at.strftime("%Y-%m-%d %H:%M") if coll.updated_at else "",
            )
        )
    return out


def remove_collection(session: Session, name: str, index_dir=None) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Delete a collection with its documents and chunks; returns (documents, chunks) removed."""
    coll = find_collection(session, name)
    if coll is None:
        raise CollectionError(f"컬렉션 '{name}'이(가) 없습니다. `guai collections list`로 이름을 확인하세요.")
    n_docs = (
        session.scalar(
            select(func.count())
            .select_from(KnowledgeDocument)
            .where(KnowledgeDocument.collection_id == coll.id)
        )
        or 0
    )
    n_chunks = (
        session.scalar(
            select(func.count()).select_from(KnowledgeChunk).where(KnowledgeChunk.collection_id == coll.id)
        )
        or 0
    )
    # Explicit deletes: PostgreSQL and SQLite both cascade, but this does not rely on the pragma being on.
    session.query(KnowledgeChunk).filter(KnowledgeChunk.collection_id == coll.id).delete()
    session.query(KnowledgeDocument).filter(KnowledgeDocument.collection_id == coll.id).delete()
    cid = coll.id
    session.delete(coll)
    session.flush()
    if index_dir is not None:
        for path in (index_dir / "knowledge").glob(f"c{cid}-g*"):
            shutil.rmtree(path, ignore_errors=True)
    return n_docs, n_chunks
