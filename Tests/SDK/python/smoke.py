"""SDK smoke program: calls a live gateway through the generated Python SDK
and checks typed results and typed errors.

Environment: PORTCULLIS_URL (the gateway), PORTCULLIS_CLIENT_ID and
PORTCULLIS_CLIENT_SECRET (a client granted ledger:read whose rate is 2
requests a minute).
"""
import datetime
import functools
import os
import sys

import portcullis_client as pc
from portcullis_client.exceptions import ApiException, NotFoundException, UnauthorizedException

BASE_URL = os.environ.get("PORTCULLIS_URL", "http://127.0.0.1:8080")
CLIENT_ID = os.environ.get("PORTCULLIS_CLIENT_ID", "")
CLIENT_SECRET = os.environ.get("PORTCULLIS_CLIENT_SECRET", "")


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def issue_token(scope, secret=CLIENT_SECRET):
    """A client-credentials token from the generated token operation (form body, HTTP Basic)."""
    config = pc.Configuration(host=BASE_URL, username=CLIENT_ID, password=secret)
    with pc.ApiClient(config) as client:
        return pc.OauthApi(client).issue_token(grant_type="client_credentials", scope=scope)


@functools.lru_cache(maxsize=None)
def shared_token():
    """The token every scoped check shares (one issuance, many calls)."""
    return issue_token("ledger:read")


def ledger(access_token=None, retries=None):
    """The ledger API, sending `access_token` as a bearer token when given.

    `retries` goes to urllib3: by default it retries a 429 (and 413, 503) up to
    three times after sleeping `Retry-After`; `False` surfaces the first one.
    """
    config = pc.Configuration(host=BASE_URL, access_token=access_token, retries=retries)
    return pc.LedgerApi(pc.ApiClient(config))


def typed_result():
    entry = ledger().get_ledger_entry_v2("42")
    check(isinstance(entry, pc.GetLedgerEntryV2Result), f"untyped result {type(entry)}")
    check(entry.id == "42", f"id {entry.id}")
    check(entry.account.code == "2100" and entry.account.name == "Accounts payable", f"account {entry.account}")
    check(entry.amount.value == "3326.98" and entry.amount.currency == "EUR", f"amount {entry.amount}")
    check(entry.memo == "Invoice INV-2026-000042", f"memo {entry.memo}")
    check(entry.booked_on == datetime.date(2026, 11, 15), f"booked_on {entry.booked_on}")


def not_found():
    try:
        ledger().get_ledger_entry_v2("not-a-number")
    except NotFoundException as error:
        check(error.status == 404, f"status {error.status}")
        check(isinstance(error.data, pc.Problem), f"untyped error body {type(error.data)}")
        check(error.data.status == 404 and error.data.title == "Not Found", f"problem {error.data}")
        return
    raise AssertionError("a 404 did not surface as NotFoundException")


def client_credentials_call():
    token = shared_token()
    check(isinstance(token, pc.TokenResponse), f"untyped token answer {type(token)}")
    check(token.token_type == "Bearer" and 0 < token.expires_in <= 900, f"token answer {token.token_type} {token.expires_in}")
    check(token.scope == "ledger:read", f"scope {token.scope}")
    check(token.access_token.count(".") == 2, "the access token is not a compact JWS")
    page = ledger(token.access_token).list_ledger_entries_v2()
    check(isinstance(page, pc.ListLedgerEntriesV2Result), f"untyped result {type(page)}")
    check(len(page.data) > 0 and page.page.size == len(page.data), f"page {page.page}")
    first = page.data[0]
    check(isinstance(first.booked_on, datetime.date) and isinstance(first.account.code, str), f"entry {first}")
    check(page.page.next_cursor is None, f"next_cursor {page.page.next_cursor}")


def rate_limited():
    api = ledger(shared_token().access_token, retries=False)
    for _ in range(5):
        try:
            api.list_ledger_entries_v2()
        except ApiException as error:
            check(error.status == 429, f"the first refusal was {error.status}, not 429")
            retry_after = (error.headers or {}).get("Retry-After", "")
            check(retry_after.isdigit() and int(retry_after) >= 1, f"Retry-After {retry_after!r}")
            check("RateLimit-Policy" in (error.headers or {}), "no RateLimit-Policy header")
            check(isinstance(error.data, pc.Problem), f"untyped error body {type(error.data)}")
            check(error.data.status == 429 and error.data.title == "Too Many Requests", f"problem {error.data}")
            return
    raise AssertionError("5 calls over a 2-per-minute rate did not surface a 429")


def refused_token():
    try:
        issue_token("ledger:read", secret="not-the-secret")
    except UnauthorizedException as error:
        check(error.status == 401, f"status {error.status}")
        check((error.headers or {}).get("WWW-Authenticate", "").startswith("Basic "), "no Basic challenge")
        check((error.headers or {}).get("Cache-Control") == "no-store", "no Cache-Control: no-store")
        check(isinstance(error.data, pc.OAuthError), f"untyped error body {type(error.data)}")
        check(error.data.error == "invalid_client", f"error {error.data.error}")
        return
    raise AssertionError("a wrong secret got a token")


CHECKS = [
    ("typed result from a public v2 operation", typed_result),
    ("404 surfaces as a typed error", not_found),
    ("client-credentials token from the SDK, then a scoped v2 call", client_credentials_call),
    ("429 surfaces as a typed error with Retry-After", rate_limited),
    ("a refused token request surfaces as a typed OAuth error", refused_token),
]


def main():
    failed = 0
    for name, run in CHECKS:
        try:
            run()
            print(f"ok {name}")
        except Exception as error:  # report every check, then fail
            failed += 1
            print(f"FAIL {name}: {error!r}")
    print(f"python smoke: {len(CHECKS) - failed} of {len(CHECKS)} checks passed")
    sys.exit(0 if failed == 0 else 1)


if __name__ == "__main__":
    main()
