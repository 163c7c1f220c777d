"""Build the air-gapped install bundle (`make bundle`): every wheel, static files, deploy files, install.sh.

    python -m guai.ops.bundle [--out dist] [--wheel-cache DIR]

The result dist/guai-bundle-<version>-<python>-<platform>.tar.gz installs on a machine with the same
Python (3.11) and platform without any network: `tar xzf …; cd guai-bundle-…; sudo ./install.sh`.
Wheels come from pip's cache, local wheel folders (e.g. /opt/wheels) or the configured index.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tarfile
from pathlib import Path

from guai import __version__

REPO = Path(__file__).resolve().parents[2]
DEPLOY_FILES = (
    "install.sh",
    "guai.service",
    "guai-purge.service",
    "guai-purge.timer",
    "guai-backup.service",
    "guai-backup.timer",
    "nginx.conf",
    "README.md",
)
# Must be in the bundle even though nothing imports them by name: Kiwi's model ships as its own wheel.
REQUIRED = ("kiwipiepy", "kiwipiepy_model", "guai")


class BundleError(Exception):
    pass


def _run(cmd: list[str]) -> None:
    print("$", " ".join(cmd), flush=True)
    result = subprocess.run(cmd, check=False)
    if result.returncode != 0:
        raise BundleError(f"명령이 실패했습니다 (종료 코드 {result.returncode}): {' '.join(cmd)}")


def bundle_name() -> str:
    py = f"cp{sys.version_info.major}{sys.version_info.minor}"
    plat = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"guai-bundle-{__version__}-{py}-{plat}"


def build(out_dir: Path, *, extra_find_links: list[str] | None = None) -> Path:
    out_dir = out_dir.resolve()
    name = bundle_name()
    stage = out_dir / name
    shutil.rmtree(stage, ignore_errors=True)
    wheels = stage / "wheels"
    wheels.mkdir(parents=True)
    pip = [sys.executable, "-m", "pip"]
    # 1. guai itself, built from this checkout (setuptools' in-tree build/ folder is removed afterwards).
    had_build = (REPO / "build").exists()
    try:
        _run([*pip, "wheel", "--no-deps", "--wheel-dir", str(wheels), str(REPO)])
    finally:
        if not had_build:
            shutil.rmtree(REPO / "build", ignore_errors=True)
    guai_wheel = next(wheels.glob("guai-*.whl"))
    # 2. Every dependency as a wheel (downloaded wheels are kept as they are; sdists are built once).
    links: list[str] = []
    for link in extra_find_links or []:
        links += ["--find-links", link]
    _run([*pip, "wheel", "--wheel-dir", str(wheels), *links, str(guai_wheel)])
    present = {p.name.split("-")[0].lower() for p in wheels.glob("*.whl")}
    missing = [r for r in REQUIRED if r.lower() not in present]
    if missing:
        raise BundleError(f"번들에 꼭 필요한 wheel이 없습니다: {', '.join(missing)}")
    # 3. Static files (served by nginx), deploy files and the installer at the top.
    shutil.copytree(REPO / "guai" / "web" / "static", stage / "static")
    (stage / "deploy").mkdir()
    for fname in DEPLOY_FILES:
        src = REPO / "deploy" / fname
        if src.exists():
            shutil.copy2(src, stage / "deploy" / fname)
    shutil.copy2(REPO / "deploy" / "install.sh", stage / "install.sh")
    os.chmod(stage / "install.sh", 0o755)
    (stage / "BUNDLE.txt").write_text(
        f"guai {__version__} 오프라인 설치 번들\n"
        f"Python {platform.python_version()} · {sysconfig.get_platform()}\n"
        f"wheel {len(list(wheels.glob('*.whl')))}개\n\n설치: sudo ./install.sh  (설명: deploy/README.md)\n",
        encoding="utf-8",
    )
    sums = []
    for path in sorted(p for p in stage.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        sums.append(f"{digest}  {path.relative_to(stage)}")
    (stage / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    archive = out_dir / f"{name}.tar.gz"
    partial = archive.with_suffix(".partial")
    # Wheels are already compressed; a low level keeps building fast.
    with tarfile.open(partial, "w:gz", compresslevel=1) as tar:
        tar.add(stage, arcname=name)
    partial.replace(archive)
    shutil.rmtree(stage)
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="guai 오프라인 설치 번들 만들기")
    parser.add_argument("--out", default=str(REPO / "dist"))
    parser.add_argument("--find-links", action="append", default=[], help="추가 wheel 폴더 (예: /opt/wheels)")
    args = parser.parse_args(argv)
    try:
        archive = build(Path(args.out), extra_find_links=args.find_links)
    except BundleError as exc:
        print(f"오류: {exc}", file=sys.stderr)
        return 1
    size = archive.stat().st_size / 1024 / 1024
    print(f"번들 완료: {archive} ({size:.0f}MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
