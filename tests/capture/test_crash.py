"""A kill -9 of the server in the middle of a 100k-event capture leaves all or nothing.

The server runs in a subprocess on 127.0.0.1; the test posts one 100,000-event document, waits
until the capture job is running, kills the process with SIGKILL, and then checks the database:
it opens cleanly (SQLite integrity_check), holds either none or all of the job's events, and the
job is marked interrupted on recovery.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, text

from tests.factories import document_bytes, make_event, sgtin
from zhuisu.access.keys import create_key
from zhuisu.access.principals import Role
from zhuisu.capture.jobs import recover_interrupted
from zhuisu.store import events as event_store
from zhuisu.store import jobs as job_store
from zhuisu.store.engine import is_sqlite, read_connection, write_transaction

EVENTS = 100_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise AssertionError(f"server exited early with {proc.returncode}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("server did not come up")


@pytest.mark.slow
def test_kill_9_mid_capture_leaves_all_or_nothing(engine: Engine, db_url: str, tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "ZHUISU_DATABASE_URL": db_url,
        "ZHUISU_CAPTURE_LIMIT": str(EVENTS),
        "ZHUISU_CAPTURE_FILE_SIZE_LIMIT": str(1 << 30),
        "ZHUISU_DATA_DIR": str(tmp_path),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhuisu.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base + "/", proc)
        body = document_bytes([make_event(epcs=[sgtin(i)]) for i in range(EVENTS)])
        with write_transaction(engine) as conn:  # capture needs a key (issue 3)
            key = create_key(conn, role=Role.ADMIN).key
        response = httpx.post(
            base + "/capture",
            content=body,
            timeout=300.0,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
        )
        assert response.status_code == 202
        job_id = response.headers["Location"].rsplit("/", 1)[1]
        time.sleep(1.5)  # well inside a 100k-event job (the job row shows it is still running below)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)

    with read_connection(engine) as conn:
        if is_sqlite(conn):
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        job = job_store.get_job(conn, job_id)
        assert job is not None
        assert job.running, "the job finished before the kill; the test did not kill mid-capture"
        assert event_store.count_events(conn) in (0, EVENTS)
        assert event_store.count_events(conn) == 0  # its transaction never committed
    with write_transaction(engine) as conn:
        assert recover_interrupted(conn) == 1
    with read_connection(engine) as conn:
        job = job_store.get_job(conn, job_id)
        assert job is not None and not job.running and not job.success
        assert job.errors is not None and "capture.interrupted" in job.errors
