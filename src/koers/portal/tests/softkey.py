"""A software passkey for server tests: makes the browser's answers to WebAuthn challenges (P-256, "none"
attestation), as a phone would, so the portal's checks run against real signatures."""

from __future__ import annotations

import hashlib
import json
import os
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url


def _b64(data: bytes) -> str:
    return bytes_to_base64url(data)


class SoftPasskey:
    def __init__(self, rp_id: str = "testserver", origin: str = "http://testserver"):
        self.rp_id, self.origin = rp_id, origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.count = 0

    @property
    def id(self) -> str:
        return _b64(self.credential_id)

    def _client_data(self, kind: str, challenge: str, origin: str | None = None) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin or self.origin,
                           "crossOrigin": False}).encode()

    def _cose(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def register(self, options: dict, origin: str | None = None) -> str:
        """The answer to navigator.credentials.create() for ``options`` (the JSON the server sent)."""
        rp_hash = hashlib.sha256(options["rp"]["id"].encode()).digest()
        attested = bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id + self._cose()
        auth_data = rp_hash + bytes([0x45]) + struct.pack(">I", self.count) + attested  # UP, UV, AT
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return json.dumps({
            "id": self.id, "rawId": self.id, "type": "public-key", "clientExtensionResults": {},
            "response": {"clientDataJSON": _b64(self._client_data("webauthn.create", options["challenge"], origin)),
                         "attestationObject": _b64(attestation), "transports": ["internal"]},
        })

    def sign(self, options: dict, origin: str | None = None, credential_id: str | None = None) -> str:
        """The answer to navigator.credentials.get() for ``options``."""
        self.count += 1
        rp_hash = hashlib.sha256(options["rpId"].encode()).digest()
        auth_data = rp_hash + bytes([0x05]) + struct.pack(">I", self.count)  # UP, UV
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        cid = credential_id or self.id
        return json.dumps({
            "id": cid, "rawId": cid, "type": "public-key", "clientExtensionResults": {},
            "response": {"clientDataJSON": _b64(client_data), "authenticatorData": _b64(auth_data),
                         "signature": _b64(signature), "userHandle": None},
        })
