"""What the browser tests share: Debian's Chromium (never a browser download), the app served by
uvicorn on a free 127.0.0.1 port in a background thread, and screenshots kept when asked.

``ZHUISU_SCREENSHOTS_DIR``: when set, the screenshots a test takes are copied there (the README's
pictures under docs/screenshots/ are made this way from the demo city).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from zhuisu.api.app import create_app
from zhuisu.settings import Settings

CHROMIUM = "/usr/bin/chromium"
HTMX = Path(__file__).parents[1] / "src" / "zhuisu" / "web" / "static" / "vendor" / "htmx.min.js"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NEEDS_BROWSER = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (Debian package chromium)"
    ),
    pytest.mark.skipif(not HTMX.exists(), reason="htmx is not installed: run `make webdeps`"),
]


#: Playwright's waits (5 s by default) are time limits in disguise: on a shared, loaded machine a page
#: may take longer, and a test must not fail for that. They stay finite only so that a page that
#: never shows what it should fails the test rather than hanging it.
WAIT_MS = 120_000


def patient() -> None:
    """Make Playwright's assertions and actions wait ``WAIT_MS`` (call before the first page)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """The app on a free port of 127.0.0.1; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    settings = settings.model_copy(update={"base_url": f"http://127.0.0.1:{port}"})
    uv = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not uv.started:
        if not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join()
        sock.close()


@contextmanager
def screenshots(folder: Path) -> Iterator[Path]:
    """A folder for a test's screenshots, copied to ZHUISU_SCREENSHOTS_DIR afterwards when set."""
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    wanted = os.environ.get("ZHUISU_SCREENSHOTS_DIR")
    if wanted:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        for shot in folder.glob("*.png"):
            shutil.copy(shot, Path(wanted) / shot.name)
