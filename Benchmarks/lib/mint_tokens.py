#!/usr/bin/env python3
"""Signs many distinct RS256 access tokens (RFC 9068 shape) with one private key,
one token per line, for the benchmark contenders that rotate through tokens.

    mint_tokens.py KEY_PEM KID OUT COUNT LIFETIME ISSUER AUDIENCE CLIENT_ID ORG_ID SCOPE

Each token differs only in its `jti`, so every one costs the verifier a full
signature check the first time it sees it. The header is exactly what the
Portcullis token service writes ({"alg":"RS256","typ":"at+jwt","kid":KID}); the
claims are the ones it issues for client credentials. Signing runs on every core
(one process per core); RSA-2048 signing is ~0.25 ms per token on an idle core.
Needs the `cryptography` package (Debian: python3-cryptography).
"""
import base64
import json
import os
import sys
import time
from multiprocessing import Pool

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def compact(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def init(key_path: str) -> None:
    global KEY
    with open(key_path, "rb") as handle:
        KEY = serialization.load_pem_private_key(handle.read(), password=None)


def sign(job):
    header, claims = job
    signing_input = b64url(compact(header)) + "." + b64url(compact(claims))
    signature = KEY.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(signature)


def main() -> None:
    if len(sys.argv) != 11:
        sys.exit(__doc__)
    key_path, kid, out, count, lifetime, issuer, audience, client_id, org_id, scope = sys.argv[1:]
    count, lifetime = int(count), int(lifetime)
    now = int(time.time())
    header = {"alg": "RS256", "typ": "at+jwt", "kid": kid}
    run = f"{now:x}-{os.getpid():x}"
    jobs = [(header, {"iss": issuer, "sub": client_id, "aud": audience, "client_id": client_id, "org_id": org_id,
                      "scope": scope, "jti": f"bench-{run}-{i:07d}", "iat": now, "exp": now + lifetime})
            for i in range(count)]
    with Pool(os.cpu_count() or 1, initializer=init, initargs=(key_path,)) as pool:
        tokens = pool.map(sign, jobs, chunksize=500)
    with open(out + ".tmp", "w") as handle:
        handle.write("\n".join(tokens) + "\n")
    os.replace(out + ".tmp", out)
    if os.path.exists(out + ".pos"):  # lib/rotate.lua's place in the previous file
        os.remove(out + ".pos")


if __name__ == "__main__":
    main()
