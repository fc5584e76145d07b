"""A real OpenSSH server for the sftp publishing tests: sshd started once per test session in a
temporary folder, on a free 127.0.0.1 port, running as the current user, who is the only one
let in, by a key generated for the session.

The server's host key, the user's key, its authorized_keys and a known_hosts naming the host key
are all generated in the folder. A client finds them as ssh would, in $HOME/.ssh: `Server.home`
is a home folder holding them, which a test points HOME at (no agent: SSH_AUTH_SOCK unset).

Where sshd is not installed these tests skip, saying why; with FEEDWRIGHT_REQUIRE_SSHD=1 (set
by .ci/run) they fail instead.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRE_ENV = "FEEDWRIGHT_REQUIRE_SSHD"
#: Names a server already running, for every session of a mutation run (tests/servers.py).
SHARED_ENV = "FEEDWRIGHT_TEST_SSHD"


@dataclass(frozen=True)
class Server:
    port: int
    user: str
    home: Path  # HOME for a client: .ssh/id_ed25519 and .ssh/known_hosts

    def url(self, path: Path | str, user: str | None = None) -> str:
        return f"sftp://{user or self.user}@127.0.0.1:{self.port}{path}"

    def client_env(self, home: Path | None = None) -> dict[str, str]:
        """The environment of a client that logs in with the session's key."""
        env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}
        env["HOME"] = str(home or self.home)
        return env


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"sshd required ({REQUIRE_ENV}=1) but {reason}")
    pytest.skip(f"sftp tests skipped: {reason} (apt-get install openssh-server)")


def _sshd() -> str | None:
    return shutil.which("sshd") or next(
        (p for p in ("/usr/sbin/sshd", "/usr/local/sbin/sshd") if os.access(p, os.X_OK)), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _keygen(path: Path) -> str:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(path)],
                   check=True, capture_output=True)
    return path.with_suffix(".pub").read_text().strip()


def start_server() -> Iterator[Server]:
    """Start one sshd; stop it and remove its folder after."""
    try:
        import sshfs  # noqa: F401
    except ImportError:
        _unavailable("sshfs is not installed (pip install 'feedwright[remote]')")
    sshd = _sshd()
    if sshd is None or shutil.which("ssh-keygen") is None:
        _unavailable("no OpenSSH server (sshd, ssh-keygen) found")
        return
    root = Path(tempfile.mkdtemp(prefix="feedwright-sshd-"))
    home = root / "home"
    (home / ".ssh").mkdir(parents=True)
    host_key = _keygen(root / "host_ed25519")
    user_key = _keygen(home / ".ssh" / "id_ed25519")
    (root / "authorized_keys").write_text(user_key + "\n")
    port = _free_port()
    (home / ".ssh" / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key}\n")
    user = getpass.getuser()
    (root / "sshd_config").write_text(f"""\
Port {port}
ListenAddress 127.0.0.1
HostKey {root / "host_ed25519"}
PidFile {root / "sshd.pid"}
AuthorizedKeysFile {root / "authorized_keys"}
AllowUsers {user}
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
""")
    if os.geteuid() == 0:  # sshd as root wants its privilege separation folder
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    log = (root / "log").open("wb")
    server = subprocess.Popen([sshd, "-D", "-e", "-f", str(root / "sshd_config")],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(200):  # until it listens (or dies)
            if server.poll() is not None:
                break
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        if server.poll() is not None:
            log.close()
            reason = (root / "log").read_text(errors="replace").strip()
            shutil.rmtree(root, ignore_errors=True)
            _unavailable(f"sshd did not start: {reason}")
        yield Server(port, user, home)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(root, ignore_errors=True)
