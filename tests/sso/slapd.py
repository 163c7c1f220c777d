"""Start Debian's slapd on loopback with a throw-away config and directory, for LDAP login tests."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

SUFFIX = "dc=gaon,dc=go,dc=kr"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PW = "slapd-test-secret"
SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {tmp}/slapd.pid
argsfile {tmp}/slapd.args
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_pw}
directory {tmp}/data
access to attrs=userPassword by self read by anonymous auth by * none
access to * by * read
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Slapd:
    """A running slapd; `url`, `stop()`. Entries are added with ldap3 as the root DN."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        (tmp / "data").mkdir(parents=True, exist_ok=True)
        conf = tmp / "slapd.conf"
        conf.write_text(
            CONFIG.format(tmp=tmp, suffix=SUFFIX, root_dn=ROOT_DN, root_pw=ROOT_PW), encoding="utf-8"
        )
        self.port = _free_port()
        self.url = f"ldap://127.0.0.1:{self.port}"
        # -d 0 keeps slapd in the foreground so the test owns the process and can stop it.
        self.proc = subprocess.Popen(
            [SLAPD, "-f", str(conf), "-h", f"{self.url}/", "-d", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.proc.poll() is not None:
                out = self.proc.stdout.read().decode("utf-8", "replace") if self.proc.stdout else ""
                raise RuntimeError(f"slapd exited: {out}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("slapd did not start")

    def add_entries(self, entries: list[tuple[str, list[str], dict[str, object]]]) -> None:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            from ldap3 import Connection, Server

        conn = Connection(Server(self.url), user=ROOT_DN, password=ROOT_PW, auto_bind=True)
        try:
            for dn, classes, attrs in entries:
                if not conn.add(dn, classes, attrs):
                    raise RuntimeError(f"ldap add {dn}: {conn.result}")
        finally:
            conn.unbind()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
