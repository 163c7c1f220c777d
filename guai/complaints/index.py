"""Token matrices over all complaints, rebuilt from the stored tokens and cached on disk in GUAI_HOME.

The cache file is named by a signature of the database and of its complaints table (count, max id, id sum,
latest import), so every worker finds the same file, a stale one is never used — also when one GUAI_HOME
is pointed at another database, say from a SQLite pilot to PostgreSQL, where ids again start at 1 — and
deleting the folder only costs a rebuild.
Within one process the last loaded index is kept in memory, checked against the signature per query.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from scipy import sparse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from guai.db.models.complaints import Complaint

FORMAT = 2
NO_DAY = -1


@dataclass
class CorpusIndex:
    """Per-complaint arrays in id order: ids, day ordinals, department/동 codes, title and body term counts."""

    signature: str
    ids: np.ndarray
    days: np.ndarray
    department_codes: np.ndarray
    dong_codes: np.ndarray
    departments: list[str]
    dongs: list[str]
    vocab: dict[str, int]
    title: sparse.csr_matrix
    body: sparse.csr_matrix

    @property
    def size(self) -> int:
        return int(self.ids.shape[0])

    def _cached(self, name: str, make):  # type: ignore[no-untyped-def]
        value = self.__dict__.get(name)
        if value is None:
            value = make()
            self.__dict__[name] = value
        return value

    @property
    def both(self) -> sparse.csr_matrix:
        """Title and body counts added (documents × terms)."""
        return self._cached("_both", lambda: (self.title + self.body).tocsr())

    def columns(self, which: str) -> sparse.csc_matrix:
        """Column-major copy of "title", "body" or "both", for fast per-term lookups."""
        return self._cached(f"_csc_{which}", lambda: getattr(self, which).tocsc())

    def column(self, which: str, token: str) -> np.ndarray:
        """Counts of `token` per document in "title", "body" or "both" (dense vector)."""
        col = self.vocab.get(token)
        if col is None:
            return np.zeros(self.size, dtype=np.float32)
        return self.columns(which)[:, col].toarray().ravel()

    def terms(self) -> list[str]:
        """Vocabulary in column order."""
        return self._cached("_terms", lambda: sorted(self.vocab, key=self.vocab.__getitem__))

    def doc_freq(self) -> np.ndarray:
        """Documents containing each term in title or body."""
        return self._cached("_df", lambda: np.diff(self.columns("both").indptr).astype(np.int64))

    def body_lengths(self) -> np.ndarray:
        return self._cached("_lengths", lambda: np.asarray(self.body.sum(axis=1)).ravel())

    def filter_mask(
        self,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        department: str | None = None,
        dong: str | None = None,
    ) -> np.ndarray:
        """Boolean mask of complaints inside the period and filters (undated ones only when no period)."""
        mask = np.ones(self.size, dtype=bool)
        if date_from is not None:
            mask &= self.days >= date_from.toordinal()
        if date_to is not None:
            mask &= (self.days <= date_to.toordinal()) & (self.days != NO_DAY)
        if department:
            codes = [i for i, name in enumerate(self.departments) if department in name]
            mask &= np.isin(self.department_codes, codes)
        if dong:
            codes = [i for i, name in enumerate(self.dongs) if name == dong or name.startswith(dong)]
            mask &= np.isin(self.dong_codes, codes)
        return mask


_lock = threading.Lock()
_memory: dict[str, CorpusIndex] = {}


def _database_key(session: Session) -> str:
    """Short hash of where the complaints live (URL without password, incl. a PostgreSQL search_path)."""
    url = session.get_bind().url.render_as_string(hide_password=True)
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]


def signature(session: Session) -> str:
    count, max_id, id_sum, last_import = session.execute(
        select(
            func.count(Complaint.id),
            func.max(Complaint.id),
            func.sum(Complaint.id),
            func.max(Complaint.import_id),
        )
    ).one()
    return _signature(_database_key(session), count or 0, max_id or 0, id_sum or 0, last_import or 0)


def _signature(database: str, count: int, max_id: int, id_sum: int, last_import: int) -> str:
    return f"v{FORMAT}-{database}-{count}-{max_id}-{id_sum}-{last_import}"


def _codes(values: list[str | None]) -> tuple[np.ndarray, list[str]]:
    names: dict[str, int] = {}
    codes = np.empty(len(values), dtype=np.int32)
    for i, value in enumerate(values):
        if value is None:
            codes[i] = -1
        else:
            codes[i] = names.setdefault(value, len(names))
    return codes, list(names)


def _count_matrix(texts: list[str], vocab: dict[str, int]) -> sparse.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    for text in texts:
        for token in text.split():
            indices.append(vocab.setdefault(token, len(vocab)))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sparse.csr_matrix(
        (data, np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
        shape=(len(texts), max(len(vocab), 1)),
    )
    matrix.sum_duplicates()
    return matrix


def build(session: Session) -> CorpusIndex:
    """Read ids, dates, departments, 동 and stored tokens of all complaints; build the term matrices.

    The signature is computed from the rows read, not asked separately: on PostgreSQL (read committed)
    an import committing in between would otherwise file newer rows under an older signature.
    """
    rows = session.execute(
        select(
            Complaint.id,
            Complaint.received_on,
            Complaint.department,
            Complaint.dong,
            Complaint.title_tokens,
            Complaint.body_tokens,
            Complaint.import_id,
        ).order_by(Complaint.id)
    ).all()
    id_list = [r[0] for r in rows]
    sig = _signature(
        _database_key(session),
        len(rows),
        max(id_list, default=0),
        sum(id_list),
        max((r[6] for r in rows), default=0),
    )
    vocab: dict[str, int] = {}
    title = _count_matrix([r[4] for r in rows], vocab)
    body = _count_matrix([r[5] for r in rows], vocab)
    width = max(len(vocab), 1)
    title.resize((len(rows), width))
    body.resize((len(rows), width))
    dept_codes, depts = _codes([r[2] for r in rows])
    dong_codes, dongs = _codes([r[3] for r in rows])
    return CorpusIndex(
        signature=sig,
        ids=np.asarray(id_list, dtype=np.int64),
        days=np.asarray([r[1].toordinal() if r[1] else NO_DAY for r in rows], dtype=np.int32),
        department_codes=dept_codes,
        dong_codes=dong_codes,
        departments=depts,
        dongs=dongs,
        vocab=vocab,
        title=title.tocsr(),
        body=body.tocsr(),
    )


def _paths(directory: Path, sig: str) -> tuple[Path, Path]:
    return directory / f"complaints-{sig}.npz", directory / f"complaints-{sig}.json"


def save(index: CorpusIndex, directory: Path) -> None:
    """Write atomically (temp file + rename) so concurrent workers never read half a file."""
    directory.mkdir(parents=True, exist_ok=True)
    npz, meta = _paths(directory, index.signature)
    tmp_npz = npz.with_suffix(f".{os.getpid()}.tmp.npz")
    tmp_meta = meta.with_suffix(f".{os.getpid()}.tmp")
    np.savez(
        tmp_npz,
        ids=index.ids,
        days=index.days,
        dept=index.department_codes,
        dong=index.dong_codes,
        t_data=index.title.data,
        t_ind=index.title.indices,
        t_ptr=index.title.indptr,
        b_data=index.body.data,
        b_ind=index.body.indices,
        b_ptr=index.body.indptr,
    )
    vocab = sorted(index.vocab, key=index.vocab.__getitem__)
    tmp_meta.write_text(
        json.dumps(
            {"vocab": vocab, "departments": index.departments, "dongs": index.dongs}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    os.replace(tmp_meta, meta)
    os.replace(tmp_npz, npz)
    for old in directory.glob("complaints-*"):
        if index.signature not in old.name and ".tmp" not in old.name:
            old.unlink(missing_ok=True)


def load(directory: Path, sig: str) -> CorpusIndex | None:
    npz, meta = _paths(directory, sig)
    if not (npz.is_file() and meta.is_file()):
        return None
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
        arrays = np.load(npz)
    except (OSError, ValueError):
        return None  # a damaged cache file is rebuilt, never trusted
    vocab = {term: i for i, term in enumerate(info["vocab"])}
    shape = (int(arrays["ids"].shape[0]), max(len(vocab), 1))
    return CorpusIndex(
        signature=sig,
        ids=arrays["ids"],
        days=arrays["days"],
        department_codes=arrays["dept"],
        dong_codes=arrays["dong"],
        departments=info["departments"],
        dongs=info["dongs"],
        vocab=vocab,
        title=sparse.csr_matrix((arrays["t_data"], arrays["t_ind"], arrays["t_ptr"]), shape=shape),
        body=sparse.csr_matrix((arrays["b_data"], arrays["b_ind"], arrays["b_ptr"]), shape=shape),
    )


def get_index(session: Session, directory: Path) -> CorpusIndex:
    """The index for the current table contents: from memory, else the disk cache, else rebuilt and saved."""
    sig = signature(session)
    key = str(directory.resolve())
    cached = _memory.get(key)
    if cached is not None and cached.signature == sig:
        return cached
    with _lock:
        cached = _memory.get(key)
        if cached is not None and cached.signature == sig:
            return cached
        index = load(directory, sig)
        if index is None:
            index = build(session)
            save(index, directory)
        _memory.clear()  # one index per process is enough; a process serves one GUAI_HOME
        _memory[key] = index
        return index


def index_dir(home_index_dir: Path) -> Path:
    return home_index_dir / "complaints"
