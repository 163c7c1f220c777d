"""Ingest files and folders (CLI) or uploads (web) into a collection: extract → chunk → tokens → one transaction.

Content-hash dedupe: the same file again is "unchanged"; changed content replaces the document's chunks; the
same content under another name in the collection is reported as a duplicate. A file that cannot be read is
reported with its reason and the rest continue. Each file is stored in its own transaction, together with the
collection's generation bump, so a crash never leaves half a document.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select

from guai.audit import record
from guai.db.base import utcnow
from guai.db.engine import Database
from guai.db.models.knowledge import KnowledgeChunk, KnowledgeDocument
from guai.knowledge import dense
from guai.knowledge.chunking import chunk_document
from guai.knowledge.collections import Visibility, bump_generation, ensure_collection
from guai.knowledge.extract import ExtractError, extract_bytes, kind_of
from guai.knowledge.lawtext import ChunkDraft, split_front_matter
from guai.knowledge.textproc import tokens_many

STATUS_LABELS = {
    "added": "추가",
    "replaced": "교체",
    "unchanged": "변경 없음",
    "duplicate": "중복",
    "failed": "실패",
    "skipped": "건너뜀",
}


@dataclass
class FileResult:
    name: str
    status: str  # added | replaced | unchanged | duplicate | failed | skipped
    reason: str = ""
    chunks: int = 0
    title: str = ""

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class IngestReport:
    collection: str
    results: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def chunks(self) -> int:
        return sum(r.chunks for r in self.results if r.status in ("added", "replaced"))

    def summary(self) -> str:
        parts = [f"{STATUS_LABELS[s]} {self.count(s)}" for s in STATUS_LABELS if self.count(s)]
        return (
            f"컬렉션 '{self.collection}': "
            + (", ".join(parts) or "처리한 파일 없음")
            + f" (새 조각 {self.chunks}개)"
        )


def discover(paths: Iterable[Path]) -> list[tuple[Path, str, bool]]:
    """(file, display name, from_folder) for every file under the given paths, in a stable order."""
    out: list[tuple[Path, str, bool]] = []
    for path in paths:
        if path.is_dir():
            for f in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = f.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                out.append((f, str(Path(path.name) / rel), True))
        else:
            out.append((path, str(path), False))
    return out


def _tokens_for(drafts: list[ChunkDraft]) -> list[str]:
    return [" ".join(t) for t in tokens_many([d.index_text() for d in drafts])]


def _store(
    db: Database,
    *,
    collection_id: int,
    source: str,
    filename: str,
    data_hash: str,
    size: int,
    kind: str,
    title: str,
    meta: dict,
    drafts: list[ChunkDraft],
    token_texts: list[str],
    actor: str,
    embeddings,
    embedding_model: str | None,
) -> str:  # type: ignore[no-untyped-def]
    """Replace the document's chunks and bump the collection generation in one transaction."""
    with db.session() as s:
        doc = s.scalar(
            select(KnowledgeDocument).where(
                KnowledgeDocument.collection_id == collection_id, KnowledgeDocument.source == source
            )
        )
        status = "replaced" if doc is not None else "added"
        if doc is None:
            doc = KnowledgeDocument(collection_id=collection_id, source=source)
            s.add(doc)
        else:
            s.execute(delete(KnowledgeChunk).where(KnowledgeChunk.document_id == doc.id))
        doc.filename, doc.kind, doc.title = filename[:300], kind, title[:300]
        doc.content_hash, doc.size, doc.n_chunks = data_hash, size, len(drafts)
        doc.meta = json.dumps(meta, ensure_ascii=False, default=str) if meta else None
        doc.ingested_by = actor[:64]
        doc.ingested_at = utcnow()
        s.flush()
        s.add_all(
            KnowledgeChunk(
                document_id=doc.id,
                collection_id=collection_id,
                ordinal=i,
                kind=d.kind,
                citation=d.citation[:300],
                title=d.title[:300],
                doc_title=d.doc_title[:300],
                heading=(d.heading or None) and d.heading[:500],
                article_key=d.article_key and d.article_key[:100],
                location=d.location and d.location[:100],
                text=d.text,
                tokens=tok,
                embedding=embeddings[i].tobytes() if embeddings is not None else None,
                embedding_model=embedding_model if embeddings is not None else None,
            )
            for i, (d, tok) in enumerate(zip(drafts, token_texts, strict=True))
        )
        bump_generation(s, collection_id)
    return status


def ingest_one(
    db: Database,
    data: bytes,
    *,
    source: str,
    filename: str,
    collection_id: int,
    actor: str,
    embedding_model: str | None = None,
    user=None,
) -> FileResult:  # type: ignore[no-untyped-def]
    """Ingest one file's bytes; never raises for bad input — the result says what happened and why."""
    name = filename
    if kind_of(filename) is None:
        suffix = Path(filename).suffix or "(확장자 없음)"
        return FileResult(
            name, "failed", f"지원하지 않는 형식입니다 ({suffix}). 지원 형식: HWP, HWPX, PDF, DOCX, TXT, MD"
        )
    digest = hashlib.sha256(data).hexdigest()
    with db.session() as s:
        same_source = s.scalar(
            select(KnowledgeDocument).where(
                KnowledgeDocument.collection_id == collection_id, KnowledgeDocument.source == source
            )
        )
        if same_source is not None and same_source.content_hash == digest:
            return FileResult(name, "unchanged", chunks=0, title=same_source.title)
        twin = s.scalar(
            select(KnowledgeDocument)
            .where(
                KnowledgeDocument.collection_id == collection_id,
                KnowledgeDocument.content_hash == digest,
                KnowledgeDocument.source != source,
            )
            .limit(1)
        )
        if twin is not None:
            return FileResult(
                name,
                "duplicate",
                f"같은 내용이 이미 있습니다: {twin.filename} ({twin.title})",
                title=twin.title,
            )
    try:
        extracted = extract_bytes(data, filename)
        title, drafts = chunk_document(extracted)
    except ExtractError as exc:
        return FileResult(name, "failed", str(exc))
    if not drafts:
        return FileResult(
            name, "failed", "내용에서 검색할 문단을 찾지 못했습니다 (빈 문서이거나 본문이 없습니다)."
        )
    meta = split_front_matter(extracted.law_markdown)[0] if extracted.law_markdown else {}
    token_texts = _tokens_for(drafts)
    embeddings = None
    if embedding_model:
        embeddings = dense.embed(db, [d.index_text() for d in drafts], embedding_model, user=user)
    status = _store(
        db,
        collection_id=collection_id,
        source=source,
        filename=filename,
        data_hash=digest,
        size=len(data),
        kind=extracted.kind,
        title=title,
        meta=meta,
        drafts=drafts,
        token_texts=token_texts,
        actor=actor,
        embeddings=embeddings,
        embedding_model=embedding_model if embeddings is not None else None,
    )
    return FileResult(name, status, chunks=len(drafts), title=title)


def _prepare_collection(db: Database, collection: str, visibility: Visibility | None, actor: str) -> int:
    with db.session() as s:
        coll, changed = ensure_collection(s, collection, visibility)
        if changed:
            record(
                s,
                actor=actor,
                action="knowledge.collection",
                target=collection,
                detail={"visibility": coll.visibility_label},
            )
            bump_generation(s, coll.id)
        return coll.id


def ingest_paths(
    db: Database,
    paths: list[Path],
    *,
    collection: str,
    visibility: Visibility | None = None,
    actor: str = "system",
    progress: Callable[[str, int, int], None] | None = None,
) -> IngestReport:
    """Ingest files and folders into `collection`; `progress(name, done, total)` is called after each file."""
    collection_id = _prepare_collection(db, collection, visibility, actor)
    report = IngestReport(collection)
    files = discover(paths)
    model = dense.embedding_model_id(db)
    for done, (path, display, from_folder) in enumerate(files, start=1):
        if not path.exists():
            report.results.append(FileResult(display, "failed", "파일이 없습니다."))
        elif from_folder and kind_of(path.name) is None:
            report.results.append(
                FileResult(display, "skipped", f"지원하지 않는 형식 ({path.suffix or '확장자 없음'})")
            )
        else:
            try:
                data = path.read_bytes()
            except OSError as exc:
                report.results.append(
                    FileResult(display, "failed", f"파일을 읽을 수 없습니다: {exc.strerror or exc}")
                )
            else:
                result = ingest_one(
                    db,
                    data,
                    source=str(path.resolve()),
                    filename=display,
                    collection_id=collection_id,
                    actor=actor,
                    embedding_model=model,
                )
                report.results.append(result)
        if progress:
            progress(display, done, len(files))
    _audit(db, actor, report)
    return report


def ingest_bytes(
    db: Database,
    data: bytes,
    filename: str,
    *,
    collection: str,
    visibility: Visibility | None = None,
    actor: str = "system",
    user=None,
) -> IngestReport:  # type: ignore[no-untyped-def]
    """Ingest one uploaded file (the web page); uploads are keyed by file name within the collection."""
    collection_id = _prepare_collection(db, collection, visibility, actor)
    report = IngestReport(collection)
    safe_name = Path(filename or "upload").name
    report.results.append(
        ingest_one(
            db,
            data,
            source=f"upload:{safe_name}",
            filename=safe_name,
            collection_id=collection_id,
            actor=actor,
            embedding_model=dense.embedding_model_id(db),
            user=user,
        )
    )
    _audit(db, actor, report)
    return report


def _audit(db: Database, actor: str, report: IngestReport) -> None:
    with db.session() as s:
        record(
            s,
            actor=actor,
            action="knowledge.ingest",
            outcome="실패" if report.failed and len(report.failed) == len(report.results) else "성공",
            target=report.collection,
            detail={s_: report.count(s_) for s_ in STATUS_LABELS if report.count(s_)}
            | {"failed_files": [f"{r.name}: {r.reason}" for r in report.failed][:20]},
        )
