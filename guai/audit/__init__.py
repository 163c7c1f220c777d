"""Append-only, hash-chained audit log: record() and verify()."""

from guai.audit.log import AuditProblem, entry_hash, record, verify

__all__ = ["AuditProblem", "entry_hash", "record", "verify"]
