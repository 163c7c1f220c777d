"""Who may see and change which collection. Every search and every article view goes through here."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from guai.db.models.auth import User
from guai.db.models.knowledge import KnowledgeCollection


def can_see(coll: KnowledgeCollection, user: User | None, *, public_only: bool = False) -> bool:
    """public: everyone; staff: any employee (and the operator's CLI); department: only that department's staff."""
    if coll.visibility == "public":
        return True
    if public_only:
        return False
    if coll.visibility == "staff":
        return True
    if coll.visibility == "department":
        return (
            user is not None and coll.department_id is not None and user.department_id == coll.department_id
        )
    return False


def visible_collections(
    session: Session, user: User | None, *, public_only: bool = False, names: list[str] | None = None
) -> list[KnowledgeCollection]:
    """Collections the caller may search, optionally restricted to `names` (unknown names are ignored)."""
    stmt = select(KnowledgeCollection)
    if public_only:
        stmt = stmt.where(KnowledgeCollection.visibility == "public")
    elif user is None:
        stmt = stmt.where(KnowledgeCollection.visibility.in_(("public", "staff")))
    else:
        stmt = stmt.where(
            or_(
                KnowledgeCollection.visibility.in_(("public", "staff")),
                (KnowledgeCollection.visibility == "department")
                & (KnowledgeCollection.department_id == user.department_id),
            )
        )
    if names:
        stmt = stmt.where(KnowledgeCollection.name.in_(names))
    colls = list(session.scalars(stmt.order_by(KnowledgeCollection.id)))
    # Belt and braces: the SQL above and can_see() must agree; a collection failing either is dropped.
    return [c for c in colls if can_see(c, user, public_only=public_only)]


def can_manage(coll_visibility: str, department_id: int | None, user: User) -> bool:
    """System admins manage every collection; department admins only their own department's collections."""
    if user.is_system_admin:
        return True
    if user.is_admin and coll_visibility == "department":
        return department_id == user.department_id
    return False
