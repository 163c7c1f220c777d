#!/usr/bin/env bash
# guai 오프라인 설치 스크립트 (망분리 환경): 번들의 wheels/ 만으로 설치하고 guai를 시작합니다.
#
#   sudo ./install.sh                 # /opt/guai 에 설치, systemd 서비스로 시작 (root + systemd)
#   INSTALL_START=background ./install.sh  # systemd 없이 백그라운드로 시작 (PID: $GUAI_HOME/guai.pid)
#
# 환경 변수: INSTALL_PREFIX(설치 위치, 기본 /opt/guai), GUAI_HOME(데이터 폴더, 기본 /var/lib/guai),
#            PYTHON(기본 python3.11), INSTALL_START(auto|systemd|background|no), GUAI_PORT(기본 8000)
# 패키지 색인(인터넷)을 전혀 쓰지 않습니다: pip install --no-index --find-links wheels/
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="${INSTALL_PREFIX:-/opt/guai}"
export GUAI_HOME="${GUAI_HOME:-/var/lib/guai}"
PYTHON="${PYTHON:-python3.11}"
START="${INSTALL_START:-auto}"
PORT="${GUAI_PORT:-8000}"

say() { printf '== %s\n' "$*"; }
die() { printf '오류: %s\n' "$*" >&2; exit 1; }

command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON 이(가) 없습니다. Python 3.11을 먼저 설치하세요 (예: apt-get install python3.11-venv)."
[ -d "$HERE/wheels" ] || die "wheels/ 폴더가 없습니다. 번들 압축을 푼 폴더에서 실행하세요."

say "가상환경 만들기: $PREFIX/venv"
mkdir -p "$PREFIX"
"$PYTHON" -m venv "$PREFIX/venv" || die "가상환경을 만들지 못했습니다 (python3.11-venv 패키지가 필요합니다)."

say "wheel 설치 (인터넷 사용 안 함)"
PIP_CONFIG_FILE=/dev/null "$PREFIX/venv/bin/pip" install --no-index --find-links "$HERE/wheels" \
  --disable-pip-version-check --no-cache-dir --upgrade guai

say "정적 파일과 배포 파일 복사"
rm -rf "$PREFIX/static" && cp -r "$HERE/static" "$PREFIX/static"
mkdir -p "$PREFIX/deploy" && cp "$HERE"/deploy/* "$PREFIX/deploy/"

say "데이터 폴더와 데이터베이스 준비: $GUAI_HOME"
mkdir -p "$GUAI_HOME/logs"
"$PREFIX/venv/bin/guai" init

if [ "$START" = "auto" ]; then
  if [ "$(id -u)" = "0" ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    START=systemd
  else
    START=background
  fi
fi

case "$START" in
  systemd)
    say "systemd 서비스 설치"
    id guai >/dev/null 2>&1 || useradd --system --home-dir "$GUAI_HOME" --shell /usr/sbin/nologin guai
    chown -R guai:guai "$GUAI_HOME"
    mkdir -p /etc/guai
    [ -f /etc/guai/guai.env ] || printf 'GUAI_HOME=%s\nGUAI_PORT=%s\nGUAI_LOG_JSON=true\n' "$GUAI_HOME" "$PORT" > /etc/guai/guai.env
    for unit in guai.service guai-purge.service guai-purge.timer guai-backup.service guai-backup.timer; do
      sed "s#/opt/guai#$PREFIX#g; s#/var/lib/guai#$GUAI_HOME#g" "$HERE/deploy/$unit" > "/etc/systemd/system/$unit"
    done
    systemctl daemon-reload
    systemctl enable --now guai.service guai-purge.timer guai-backup.timer
    say "시작함: systemctl status guai  (로그: journalctl -u guai -f)"
    ;;
  background)
    say "백그라운드로 시작 (포트 $PORT)"
    nohup "$PREFIX/venv/bin/guai" serve --host 127.0.0.1 --port "$PORT" --json-logs \
      >>"$GUAI_HOME/logs/guai.log" 2>&1 &
    echo $! > "$GUAI_HOME/guai.pid"
    for _ in $(seq 1 60); do
      if "$PREFIX/venv/bin/python" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/readyz', timeout=1)" 2>/dev/null; then
        say "준비됨: http://127.0.0.1:$PORT  (PID $(cat "$GUAI_HOME/guai.pid"), 로그 $GUAI_HOME/logs/guai.log)"
        exit 0
      fi
      sleep 1
    done
    die "guai가 60초 안에 준비되지 않았습니다. $GUAI_HOME/logs/guai.log를 확인하세요."
    ;;
  no) say "설치만 했습니다. 시작: GUAI_HOME=$GUAI_HOME $PREFIX/venv/bin/guai serve" ;;
  *) die "INSTALL_START 값은 auto, systemd, background, no 중 하나여야 합니다." ;;
esac
say "처음 관리자 만들기: GUAI_HOME=$GUAI_HOME $PREFIX/venv/bin/guai users add admin --role 시스템관리자 ..."
