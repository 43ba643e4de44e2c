"""deploy/redis/infoview.conf, the Redis the deployment runs: started with it (on a port and in
a directory of this test's own), Redis keeps what it was told through a crash (kill -9), from
the append-only log, and refuses to evict."""

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from tests.mail_server import free_port

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "redis" / "infoview.conf"



@contextmanager
def _redis(directory: Path, port: int, *, crash: bool = False) -> Iterator[redis.Redis]:
    """redis-server with the deployment's file; only the port and the directory changed."""
    server = subprocess.Popen(["redis-server", str(CONFIG), "--port", str(port),
                               "--dir", str(directory), "--daemonize", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(200):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert server.poll() is None, "redis-server refused the configuration"
                time.sleep(0.05)
        yield client
    finally:
        client.close()
        if crash:
            server.kill()  # SIGKILL: no shutdown save, only what the log already holds
        else:
            server.terminate()
        server.wait(timeout=30)


def test_state_survives_a_redis_crash(tmp_path: Path) -> None:
    port = free_port()
    with _redis(tmp_path, port, crash=True) as first:
        assert first.config_get("appendonly") == {"appendonly": "yes"}
        assert first.config_get("maxmemory-policy") == {"maxmemory-policy": "noeviction"}
        first.set("infoview-test:tab", "step 3")
        # On disk now, as the log's fsync each second would have it (without waiting for it).
        first.execute_command("BGREWRITEAOF")
        for _ in range(200):
            if not first.info("persistence")["aof_rewrite_in_progress"]:
                break
            time.sleep(0.05)
    with _redis(tmp_path, port) as second:
        assert second.get("infoview-test:tab") == b"step 3"
