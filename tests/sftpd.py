"""A real sftp server that is not OpenSSH, for what publishing does where OpenSSH's extensions are
missing: asyncssh's own SFTP server (asyncssh comes with sshfs), in a process of its own on a
127.0.0.1 port it picks, serving this machine's files as the current user.

OpenSSH always offers `fsync@openssh.com`; many other servers (embedded ones, some appliances,
older commercial ones) do not. This one leaves it out of the extensions it announces and answers
an fsync sent anyway with SSH_FX_OP_UNSUPPORTED, as such a server does. It lets two users in, by
the session's key:

- the session's user (`Server.user`): sftp without fsync;
- `NO_SFTP_USER`: a login whose sftp subsystem is refused, as on a host that allows ssh but
  not sftp (an OpenSSH without `Subsystem sftp`, a forced command): the connection succeeds and
  the first file operation fails.

Keys and known_hosts are laid out as tests/sshd.py's (`Server.home`/.ssh). The server stops when
the test process closes its stdin, so it cannot outlive the session. Without sshfs these tests
skip, saying why (fail with FEEDWRIGHT_REQUIRE_SSHD=1).
"""

from __future__ import annotations

import asyncio
import getpass
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from tests.sshd import Server, _unavailable

#: Names a server already running, for every session of a mutation run (tests/servers.py).
SHARED_ENV = "FEEDWRIGHT_TEST_SFTPD_NO_FSYNC"
NO_SFTP_USER = "no-sftp"
FSYNC_EXTENSION = b"fsync@openssh.com"


def start_server() -> Iterator[Server]:
    """Start the server in its own process; stop it and remove its folder after."""
    try:
        import asyncssh
        import sshfs  # noqa: F401
    except ImportError:
        _unavailable("sshfs is not installed (pip install 'feedwright[remote]')")
        return
    root = Path(tempfile.mkdtemp(prefix="feedwright-sftpd-"))
    home = root / "home"
    (home / ".ssh").mkdir(parents=True)
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    host_key.write_private_key(root / "host_ed25519")
    user_key = asyncssh.generate_private_key("ssh-ed25519")
    user_key.write_private_key(home / ".ssh" / "id_ed25519")
    user_key.write_public_key(root / "authorized_keys")
    user = getpass.getuser()
    server = subprocess.Popen([sys.executable, "-m", "tests.sftpd", str(root), user],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, cwd=Path(__file__).parent.parent)
    assert server.stdout is not None and server.stdin is not None
    try:
        said = server.stdout.readline().decode(errors="replace").strip()
        if not said.startswith("listening "):
            rest = server.stdout.read().decode(errors="replace")
            _unavailable(f"the asyncssh sftp server did not start: {said} {rest}".strip())
        port = int(said.split()[1])
        public = host_key.export_public_key().decode().strip()
        (home / ".ssh" / "known_hosts").write_text(f"[127.0.0.1]:{port} {public}\n")
        yield Server(port, user, home)
    finally:
        server.stdin.close()  # the server's signal to stop
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()
        shutil.rmtree(root, ignore_errors=True)


async def _serve(root: Path, user: str) -> None:
    import asyncssh
    from asyncssh.channel import SSHChannel
    from asyncssh.sftp import MIN_SFTP_VERSION, SFTPServerHandler
    from asyncssh.stream import SSHServerStreamSession

    # The extensions a server announces are asyncssh's class attribute: this process is the
    # server alone, so it is changed here, once, before any client connects.
    SFTPServerHandler._extensions = [
        (name, data) for name, data in SFTPServerHandler._extensions if name != FSYNC_EXTENSION]

    class WithoutFsync(asyncssh.SFTPServer):
        def fsync(self, file_obj: object) -> None:
            raise asyncssh.SFTPOpUnsupported("fsync not supported")

    def serve_sftp(chan: SSHChannel[bytes]) -> asyncssh.SFTPServer:
        return WithoutFsync(cast(asyncssh.SSHServerChannel[bytes], chan))

    class Users(asyncssh.SSHServer):
        def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
            self._conn = conn

        def begin_auth(self, username: str) -> bool:
            return True

        def public_key_auth_supported(self) -> bool:
            return True

        def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
            return username in (user, NO_SFTP_USER) and key in authorized

        def session_requested(self) -> asyncssh.SSHServerSession[bytes]:
            if self._conn.get_extra_info("username") == NO_SFTP_USER:
                return asyncssh.SSHServerSession()  # refuses every subsystem, sftp too
            return SSHServerStreamSession(None, serve_sftp, MIN_SFTP_VERSION)

    authorized = [asyncssh.read_public_key(root / "authorized_keys")]
    listener = await asyncssh.listen(
        "127.0.0.1", 0, server_factory=Users, server_host_keys=[str(root / "host_ed25519")],
    )
    port = listener.get_port()
    print(f"listening {port}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until closed
    listener.close()
    await listener.wait_closed()


if __name__ == "__main__":
    asyncio.run(_serve(Path(sys.argv[1]), sys.argv[2]))
