"""SDK smoke program: calls a live gateway through the generated Python SDK
and checks typed results and typed errors.

Environment: PORTCULLIS_URL (the gateway), and optionally
PORTCULLIS_CLIENT_ID / PORTCULLIS_CLIENT_SECRET for the token checks.
"""
import datetime
import os
import sys

import portcullis_client as pc
from portcullis_client.exceptions import NotFoundException

BASE_URL = os.environ.get("PORTCULLIS_URL", "http://127.0.0.1:8080")


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def token(scope):
    """A client-credentials token from the gateway's token endpoint."""
    config = pc.Configuration(host=BASE_URL, username=os.environ["PORTCULLIS_CLIENT_ID"],
                              password=os.environ["PORTCULLIS_CLIENT_SECRET"])
    with pc.ApiClient(config) as client:
        answer = pc.OauthApi(client).issue_token(grant_type="client_credentials", scope=scope)
    check(answer.token_type == "Bearer" and answer.expires_in <= 900, f"unexpected token answer {answer}")
    return answer.access_token


def ledger(scope=None):
    """The ledger API, with a bearer token when client credentials are given."""
    config = pc.Configuration(host=BASE_URL)
    if scope is not None and "PORTCULLIS_CLIENT_ID" in os.environ:
        config.access_token = token(scope)
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


CHECKS = [
    ("typed result from a public v2 operation", typed_result),
    ("404 surfaces as a typed error", not_found),
    # With the token service: ("client-credentials token", lambda: token("ledger:read")),
    # and a 429 check: call a scoped operation with ledger("ledger:read") until pc.exceptions.ApiException
    # with status 429 (TooManyRequests, typed Problem in .data) is raised.
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
