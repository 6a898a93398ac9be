"""The mock's CA, trusted by ``requests`` inside one test session and nowhere else."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from ..serving.tls import TlsFiles, ensure_certificates

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class TrustedTls:
    """The certificates, and ``bundle``: the CAs trusted before plus the mock's CA."""

    files: TlsFiles
    bundle: Path

    @classmethod
    def create(cls, folder: Path) -> TrustedTls:
        files = ensure_certificates(folder)
        bundle = folder / "bundle.pem"
        bundle.write_bytes(_trusted_before() + b"\n" + files.ca_cert.read_bytes())
        return cls(files, bundle)

    def session(self) -> requests.Session:
        """A session that verifies against the mock's CA and ignores proxy variables."""
        session = requests.Session()
        session.trust_env = False
        session.verify = str(self.files.ca_cert)
        return session

    @contextmanager
    def in_environment(self) -> Iterator[None]:
        """``REQUESTS_CA_BUNDLE`` on the bundle and loopback in ``NO_PROXY``, put back after."""
        saved = {k: os.environ.get(k) for k in ("REQUESTS_CA_BUNDLE", "NO_PROXY", "no_proxy")}
        os.environ["REQUESTS_CA_BUNDLE"] = str(self.bundle)
        for key in ("NO_PROXY", "no_proxy"):
            names = [n for n in (saved[key] or "").split(",") if n.strip()]
            os.environ[key] = ",".join([*names, *(n for n in LOOPBACK_NAMES if n not in names)])
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def _trusted_before() -> bytes:
    """What ``requests`` trusted before: an exported bundle, else certifi's."""
    for key in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        path = os.environ.get(key)
        if path and Path(path).is_file():
            return Path(path).read_bytes()
    import certifi

    return Path(certifi.where()).read_bytes()
