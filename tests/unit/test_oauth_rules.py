"""Small OAuth rules without a server: PKCE, the response signature, JWT ``exp`` forms."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from mock_salesforce.oauth.clients import signature
from mock_salesforce.oauth.grants import pkce_challenge
from mock_salesforce.oauth.jwt_bearer import expiry_seconds


def test_pkce_challenge_is_unpadded_base64url_of_sha256() -> None:
    verifier = "a-verifier-of-forty-three-characters-or-more-0123"
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = pkce_challenge(verifier)
    assert len(challenge) == 43 and "=" not in challenge, challenge
    assert base64.urlsafe_b64decode(challenge + "=") == digest


def test_signature_is_base64_hmac_sha256_of_id_and_issued_at() -> None:
    expected = hmac.new(b"secret", b"https://x/id/00D/005" + b"1718000000000", hashlib.sha256)
    assert (
        signature("secret", "https://x/id/00D/005", "1718000000000")
        == base64.b64encode(expected.digest()).decode()
    )


@pytest.mark.parametrize(
    "exp,seconds",
    [(1718000000, 1718000000), ("1718000000", 1718000000), (1718000000000, 1718000000)],
)
def test_jwt_expiry_accepts_seconds_strings_and_milliseconds(exp: object, seconds: int) -> None:
    assert expiry_seconds(exp) == seconds


@pytest.mark.parametrize("exp", [None, "soon", [1]])
def test_jwt_expiry_is_none_when_not_a_number(exp: object) -> None:
    assert expiry_seconds(exp) is None
