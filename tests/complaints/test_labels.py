"""Sub-issue labels leave out the district's own 동, even when an export has no 동 column."""

from __future__ import annotations

from pathlib import Path

from guai.auth.departments import add_department
from guai.complaints.service import rank_topic
from tests.complaints.conftest import load_file


def test_district_dong_never_labels_a_sub_issue(db, settings, tmp_path: Path) -> None:
    lines = ["제목,내용,접수일"]
    lines += [
        f"가로등 고장,새빛동 골목 가로등이 꺼져서 밤에 어두워요 {i}번째,2026-03-{i + 1:02d}" for i in range(6)
    ]
    lines += [
        f"가로등 전구,공원 가로등 전구가 깜빡여요 교체 바랍니다 {i},2026-04-{i + 1:02d}" for i in range(6)
    ]
    lines += [f"층간소음,윗집 발소리 때문에 잠을 못 자요 {i},2026-05-{i + 1:02d}" for i in range(12)]
    path = tmp_path / "no_dong_column.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_file(db, settings, path)

    def labels() -> list[str]:
        with db.session() as s:
            return [g.label for g in rank_topic(s, "가로등", settings=settings).groups]

    assert any("새빛동" in label for label in labels())  # Kiwi reads 새빛동 as a common noun
    with db.session() as s:
        add_department(s, name="새빛동 주민센터", kind="동")
    after = labels()
    assert after and not any("새빛동" in label for label in after), after
