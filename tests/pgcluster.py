"""A throwaway PostgreSQL cluster of a test's own, started with Debian's pg_ctl as scripts/test does.

For tests that must stop or restart the server, which the shared test cluster cannot allow.
"""
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager


def _bin_dir() -> str | None:
    """The newest installed PostgreSQL's bin directory."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return os.path.dirname(found[-1]) if found else None


def _free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """One running cluster: its URL, and restart/stop as an operator would do them."""

    def __init__(self, bin_dir: str, folder: str, port: int):
        self.bin_dir, self.folder, self.port = bin_dir, folder, port
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    def _pg_ctl(self, *args: str) -> None:
        """Run pg_ctl on this cluster's data folder."""
        subprocess.run([*self.as_postgres, f"{self.bin_dir}/pg_ctl", "-D", f"{self.folder}/data", *args],
                       check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        """Start the server on loopback and wait until it accepts connections."""
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off "
                   "-c full_page_writes=off")
        self._pg_ctl("-l", f"{self.folder}/log", "-w", "-o", options, "start")

    def restart(self) -> None:
        """Stop the server the fast way (every connection is cut), then start it again."""
        self._pg_ctl("-m", "fast", "-w", "stop")
        self.start()

    def stop(self) -> None:
        """Stop at once."""
        self._pg_ctl("-m", "immediate", "-w", "stop")


@contextmanager
def throwaway_cluster():
    """Yield a started Cluster, removed afterwards; None when PostgreSQL is not installed."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        yield None
        return
    folder = tempfile.mkdtemp(prefix="cunwu-pg-own.")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    cluster = Cluster(bin_dir, folder, _free_port())
    subprocess.run([*cluster.as_postgres, f"{bin_dir}/initdb", "-D", f"{folder}/data", "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True, timeout=120)
    cluster.start()
    try:
        yield cluster
    finally:
        try:
            cluster.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(folder, ignore_errors=True)
