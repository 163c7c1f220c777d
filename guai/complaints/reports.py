"""Ranking reports: Markdown (Ranking.to_markdown), formatted Excel (one sheet per view), PNG chart.

The chart uses the NanumGothic TTF shipped in the koreanize-matplotlib wheel, registered by file
path, so Korean renders without any system font.
"""

from __future__ import annotations

import importlib.util
import io
from functools import cache
from pathlib import Path

from guai.complaints.ranking import Ranking

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FontMissingError(RuntimeError):
    """The bundled Korean font cannot be found (koreanize-matplotlib is not installed)."""


@cache
def korean_font_path() -> Path:
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or spec.origin is None:
        raise FontMissingError("한글 글꼴이 없습니다: 'pip install koreanize-matplotlib' 로 설치하세요.")
    path = Path(spec.origin).parent / "fonts" / "NanumGothic.ttf"
    if not path.is_file():
        raise FontMissingError(f"한글 글꼴 파일을 찾을 수 없습니다: {path}")
    return path


def _font() -> object:
    from matplotlib import font_manager

    path = korean_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path))


def chart_png(ranking: Ranking, *, top: int = 10) -> bytes:
    """Ranked horizontal bars (left) and the monthly trend of the top groups and the total (right)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    font = _font()
    fig = Figure(figsize=(12, 5.6), dpi=110)
    ax_bar, ax_line = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.05, 1.2]})
    groups = ranking.groups[:top]
    labels = [f"{g.rank}. {g.display_label}" for g in groups][::-1]
    counts = [g.count for g in groups][::-1]
    bars = ax_bar.barh(range(len(groups)), counts, color="#1f5fbf")
    ax_bar.set_yticks(range(len(groups)), labels, fontproperties=font)
    for bar, g in zip(bars, groups[::-1], strict=True):
        ax_bar.text(
            bar.get_width(),
            bar.get_y() + bar.get_height() / 2,
            f" {g.count}건 ({g.share * 100:.0f}%)",
            va="center",
            fontproperties=font,
            fontsize=9,
        )
    ax_bar.set_xlim(0, max(counts or [1]) * 1.3)
    ax_bar.set_title("유형별 건수 순위", fontproperties=font)
    ax_bar.set_xlabel("건수", fontproperties=font)
    months = [m for m in ranking.months]
    x = list(range(len(months)))
    ax_line.plot(x, ranking.monthly_total, color="#1d2433", linewidth=2.2, label="전체")
    palette = ["#1f5fbf", "#d9822b", "#17733a", "#b3261e", "#7b4fb0"]
    for color, g in zip(palette, ranking.groups[:5], strict=False):
        ax_line.plot(
            x,
            [c for _, c in g.trend],
            color=color,
            linewidth=1.3,
            marker="o",
            markersize=2.5,
            label=g.display_label,
        )
    step = max(1, len(months) // 8)
    ax_line.set_xticks(x[::step], [m[2:].replace("-", ".") for m in months[::step]], fontproperties=font)
    ax_line.set_title("월별 추이", fontproperties=font)
    ax_line.set_ylabel("건수", fontproperties=font)
    ax_line.legend(prop=font, fontsize=8, loc="upper left", frameon=False)
    ax_line.grid(alpha=0.3)
    fig.suptitle(
        f"「{ranking.label}」 관련 민원 {ranking.total:,}건 ({ranking.period_text()})",
        fontproperties=font,
        fontsize=13,
    )
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def workbook_bytes(ranking: Ranking, complaints: list[dict[str, object]] | None = None) -> bytes:
    """Excel workbook: 순위 (ranking table), 월별 추이, 대표 민원, 민원 목록 (when given), 조건."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F5FBF")

    def sheet(
        title: str,
        headers: list[str],
        rows: list[list[object]],
        widths: list[int],
        formats: dict[int, str] | None = None,
        first: bool = False,
    ) -> None:
        ws = wb.active if first else wb.create_sheet()
        ws.title = title
        ws.append(headers)
        for cell in ws[1]:
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center")
        for row in rows:
            ws.append(row)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for col, fmt in (formats or {}).items():
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.number_format = fmt
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions

    rank_rows: list[list[object]] = [
        [
            g.rank,
            g.display_label,
            g.count,
            g.share,
            g.previous_count,
            g.change,
            ", ".join(f"{p.name}({p.count})" for p in g.places),
            ", ".join(f"{d.name}({d.count})" for d in g.departments),
            g.reply_gist or "",
            ", ".join(g.complaint_ids[:20]) + (" 외" if len(g.complaint_ids) > 20 else ""),
        ]
        for g in ranking.groups
    ]
    rank_rows.append(
        [
            "",
            "합계",
            ranking.total,
            1.0 if ranking.total else 0,
            ranking.previous_total,
            None if ranking.previous_total is None else ranking.total - ranking.previous_total,
            "",
            "",
            "",
            "",
        ]
    )
    sheet(
        "순위",
        [
            "순위",
            "유형",
            "건수",
            "비율",
            "직전 기간",
            "증감",
            "주요 동",
            "처리 부서",
            "답변 요지",
            "민원번호",
        ],
        rank_rows,
        [6, 28, 8, 8, 10, 8, 30, 30, 60, 60],
        {3: "#,##0", 4: "0.0%", 5: "#,##0", 6: "+#,##0;-#,##0;0"},
        first=True,
    )
    trend_rows = [
        [m, *[g.trend[k][1] for g in ranking.groups], ranking.monthly_total[k]]
        for k, m in enumerate(ranking.months)
    ]
    sheet(
        "월별 추이",
        ["월", *[g.display_label for g in ranking.groups], "전체"],
        trend_rows,
        [10] + [14] * (len(ranking.groups) + 1),
        {k: "#,##0" for k in range(2, len(ranking.groups) + 3)},
    )
    example_rows = [
        [
            g.rank,
            g.display_label,
            e.id,
            e.received_on,
            e.dong or "",
            e.department or "",
            e.title,
            e.excerpt,
            e.why,
        ]
        for g in ranking.groups
        for e in g.examples
    ]
    sheet(
        "대표 민원",
        ["순위", "유형", "민원번호", "접수일", "동", "처리 부서", "제목", "내용(발췌)", "찾은 근거"],
        example_rows,
        [6, 24, 18, 12, 10, 16, 36, 70, 30],
        {4: "yyyy-mm-dd"},
    )
    if complaints is not None:
        sheet(
            "민원 목록",
            ["민원번호", "접수일", "유형", "동", "처리 부서", "제목", "찾은 근거"],
            [
                [c["id"], c["date"], c["group"], c["dong"], c["department"], c["title"], c["why"]]
                for c in complaints
            ],
            [18, 12, 24, 10, 16, 50, 30],
            {2: "yyyy-mm-dd"},
        )
    conditions = [
        ["주제", ranking.label],
        ["요청 문구", ranking.topic],
        ["기간", ranking.period_text()],
        ["기간 설명", ranking.period.label],
        ["전체 건수", ranking.total],
        ["직전 기간 건수", ranking.previous_total if ranking.previous_total is not None else "-"],
        ["찾은 방법", ranking.method],
        ["지나가는 언급으로 제외", ranking.passing_excluded],
        ["개인정보", "가림" if ranking.masked else "원문(권한 있음)"],
        ["작성 시각(UTC)", ranking.generated_at.strftime("%Y-%m-%d %H:%M")],
    ]
    conditions += [[f"조건: {k}", v] for k, v in ranking.filters.items()]
    conditions += [["요약", line] for line in ranking.summary]
    sheet("조건", ["항목", "값"], conditions, [22, 90])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
