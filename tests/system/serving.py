"""Starting ``python -m mock_salesforce serve`` as a real subprocess for the system tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

BANNER_URL = re.compile(r"base URL \(login and instance\): (\S+)")


def start(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], list[str]]:
    """The server started with ``args`` on a free port, and its banner's lines."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_salesforce", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=cwd,
        env={**os.environ, **env} if env else None,
    )
    lines: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line.rstrip())
        if "stop with Ctrl-C" in line:
            break
    return process, lines


def serve(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], str]:
    """The server started with ``args`` on a free port, and its base URL (from the banner)."""
    process, lines = start(*args, cwd=cwd, env=env)
    match = BANNER_URL.search("\n".join(lines))
    if match is None:
        process.kill()
        raise AssertionError(f"no base URL in the banner: {lines}")
    return process, match.group(1)


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
    if process.stdout is not None:
        process.stdout.close()
