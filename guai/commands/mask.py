"""`guai mask TEXT`: mask personal data in a text, as the model gateway and exports do."""

from __future__ import annotations

import json
import sys
from enum import StrEnum

import typer

from guai.commands.common import GuaiCliError


class MaskFormat(StrEnum):
    text = "text"
    json = "json"


def mask_command(
    text: str = typer.Argument(..., help='마스킹할 텍스트 ("-"이면 표준 입력에서 읽음)'),
    output: MaskFormat = typer.Option(MaskFormat.text, "--format", "-f", help="출력 형식: text 또는 json"),
    types: str = typer.Option(
        None, "--types", "-t", help="마스킹할 유형(쉼표로 구분, 예: 전화,이메일). 기본: 모든 유형"
    ),
    plain: bool = typer.Option(
        False, "--plain", help="번호 없는 자리표시자([전화])로 바꿉니다 (되돌릴 수 없음)"
    ),
    show_values: bool = typer.Option(
        False,
        "--show-values",
        help="원래 값도 보여 줍니다 (json: spans의 value와 mapping, text: 표준 오류에 대응표)",
    ),
    public_phone: list[str] = typer.Option(
        [], "--public-phone", help="공개 전화번호 앞자리(부서 전화), 마스킹하지 않음. 여러 번 쓸 수 있음"
    ),
    mask_business_numbers: bool = typer.Option(
        False, "--mask-business-numbers", help="1588-xxxx 같은 대표번호와 080 번호도 마스킹합니다"
    ),
) -> None:
    """텍스트에서 개인정보(주민번호, 전화, 이메일, 계좌, 카드, 차량번호, 주소, 이름)를 찾아 가립니다."""
    from guai.privacy import MaskingPolicy, mask, parse_types

    if text == "-":
        text = sys.stdin.read()
    try:
        policy = MaskingPolicy(
            types=parse_types(types),
            public_phone_prefixes=tuple(public_phone),
            mask_business_numbers=mask_business_numbers,
        )
    except ValueError as exc:
        raise GuaiCliError(str(exc), exit_code=2) from exc
    result = mask(text, reversible=not plain, policy=policy)
    if output is MaskFormat.json:
        data = result.to_dict(include_values=show_values)
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(result.text, nl=not result.text.endswith("\n"))
    typer.echo(f"개인정보: {result.summary()}", err=True)
    if show_values:
        for span in result.spans:  # tab-separated so it can be cut/awk-ed
            typer.echo(f"{span.placeholder}\t{span.type.value}\t{span.value}", err=True)


def register(app: typer.Typer) -> None:
    app.command("mask")(mask_command)
