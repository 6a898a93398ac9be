"""wrk, the load generator: a C program in its own process, so it is never the bottleneck.

``ensure_wrk()`` installs Debian's package when it is absent (the bench runs as root on the
project's machines). ``hit()`` runs one case and returns its throughput, its non-2xx count and
the server processes' CPU time per request, read from /proc before and after.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CONNECTIONS = 8
THREADS = 1
_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_TOTAL = re.compile(r"(\d+) requests in")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_TICKS = os.sysconf("SC_CLK_TCK")


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    apt = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(apt, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=False)
        subprocess.run(apt, capture_output=True, check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is needed for the HTTP figures: apt-get install wrk")
    return found


@dataclass(frozen=True)
class Call:
    """One HTTP call wrk repeats: method, path, headers and body. With ``paths``, each request
    takes the next of them in turn instead of ``path`` (a GET of many records, not of one
    record again and again)."""

    method: str
    path: str
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    paths: tuple[str, ...] = ()

    def lua(self) -> str:
        lines = [f"wrk.method = {_lua(self.method)}", f"wrk.path = {_lua(self.path)}"]
        if self.body:
            lines.append(f"wrk.body = {_lua(self.body)}")
        for name, value in self.headers:
            lines.append(f"wrk.headers[{_lua(name)}] = {_lua(value)}")
        if self.paths:
            lines.append("local paths = {" + ", ".join(_lua(p) for p in self.paths) + "}")
            lines.append("local turn = 0")
            lines.append("request = function()")
            lines.append("  turn = turn % #paths + 1")
            lines.append("  return wrk.format(nil, paths[turn])")
            lines.append("end")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Hit:
    per_second: float
    requests: int
    non_2xx: int
    cpu_ms_per_request: float


def hit(base_url: str, call: Call, seconds: float, server_pid: int) -> Hit:
    """``call`` repeated by wrk for ``seconds`` on ``CONNECTIONS`` kept-alive connections."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(call.lua())
    try:
        cpu_before = tree_cpu_seconds(server_pid)
        out = subprocess.run(
            [
                ensure_wrk(),
                f"-t{THREADS}",
                f"-c{CONNECTIONS}",
                f"-d{max(1, round(seconds))}s",
                "-s",
                script.name,
                base_url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        cpu = tree_cpu_seconds(server_pid) - cpu_before
    finally:
        Path(script.name).unlink(missing_ok=True)
    rate, total = _RATE.search(out), _TOTAL.search(out)
    if rate is None or total is None:
        raise AssertionError(f"wrk said nothing measurable:\n{out}")
    non_2xx = _NON_2XX.search(out)
    requests = int(total.group(1))
    return Hit(
        float(rate.group(1)),
        requests,
        int(non_2xx.group(1)) if non_2xx else 0,
        cpu * 1000 / max(requests, 1),
    )


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and its children (the workers), from /proc."""
    total = 0.0
    for member in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / _TICKS
    return total


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found + [g for c in found for g in _children(c)]


def _lua(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
