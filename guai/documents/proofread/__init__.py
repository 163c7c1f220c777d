"""Proofreading for 공문서 rules and plain Korean.

API: ``proofread(text) -> list[Finding]`` (each with ``rule``, ``start``, ``end``, ``message``, ``suggestion``,
``severity``), ``apply_fixes(text, findings) -> str`` (one pass), ``fix_all(text) -> str`` (until nothing fixable is
left) and ``RULES`` (id, title, the article the rule comes from). Positions are character offsets into ``text``;
a suggestion replaces ``text[start:end]`` (an empty span means an insertion).

Word lists are data files in ``guai/documents/proofread/data``; an administrator adds or changes entries in
``GUAI_HOME/documents/proofread/<same file name>``.
"""

from __future__ import annotations

from collections.abc import Iterable

from guai.documents.proofread import rules_format, rules_kiwi, rules_spacing, rules_structure, rules_words  # noqa: F401
from guai.documents.proofread.engine import RULES, Finding, Rule, apply_fixes, run

__all__ = ["RULES", "Finding", "Rule", "apply_fixes", "fix_all", "proofread", "rule_ids"]


def rule_ids() -> list[str]:
    return [r.id for r in RULES]


def proofread(text: str, *, rules: Iterable[str] | None = None, spacing_model: bool = True) -> list[Finding]:
    """Findings for `text`, sorted by position. `rules` limits the check to those rule ids."""
    wanted = set(rules) if rules is not None else None
    if wanted is not None and (unknown := wanted - set(rule_ids())):
        raise ValueError(f"알 수 없는 교정 규칙: {', '.join(sorted(unknown))}")
    selected = [
        r for r in RULES if (wanted is None or r.id in wanted) and (spacing_model or r.id != "KIWI-SPACING")
    ]
    return run(text, selected)


def fix_all(text: str, *, spacing_model: bool = True, max_rounds: int = 4) -> str:
    """`text` with all suggestions applied, repeated while fixes reveal new findings."""
    for _ in range(max_rounds):
        findings = [f for f in proofread(text, spacing_model=spacing_model) if f.suggestion is not None]
        if not findings:
            break
        text = apply_fixes(text, findings)
    return text
