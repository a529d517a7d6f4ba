// SDK smoke program: calls a live gateway through the generated TypeScript
// SDK (typescript-fetch) and checks typed results and typed errors.
// Environment: PORTCULLIS_URL (the gateway), PORTCULLIS_CLIENT_ID and
// PORTCULLIS_CLIENT_SECRET (a client granted ledger:read whose rate is 2 requests a minute).
import {
    Configuration, GetLedgerEntryV2Result, IssueTokenGrantTypeEnum, LedgerApi, ListLedgerEntriesV2Result, OAuthErrorFromJSON,
    OauthApi, ProblemFromJSON, ResponseError, TokenResponse,
} from "./sdk/dist";

declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

const baseURL = process.env.PORTCULLIS_URL ?? "http://127.0.0.1:8080";
const clientID = process.env.PORTCULLIS_CLIENT_ID ?? "";
const clientSecret = process.env.PORTCULLIS_CLIENT_SECRET ?? "";

function check(condition: boolean, message: string): void {
    if (!condition) throw new Error(message);
}

/** A client-credentials token from the generated token operation (form body, HTTP Basic). */
async function issueToken(scope: string, secret: string = clientSecret): Promise<TokenResponse> {
    const oauth = new OauthApi(new Configuration({ basePath: baseURL, username: clientID, password: secret }));
    return oauth.issueToken({ grantType: IssueTokenGrantTypeEnum.ClientCredentials, scope });
}

/** The ledger API, sending `accessToken` as a bearer token when given. */
function ledger(accessToken?: string): LedgerApi {
    return new LedgerApi(new Configuration({
        basePath: baseURL,
        // typescript-fetch puts the callback's answer into Authorization as is: it must include "Bearer ".
        accessToken: accessToken === undefined ? undefined : async () => `Bearer ${accessToken}`,
    }));
}

/** The token every scoped check shares (one issuance, many calls). */
let shared: Promise<TokenResponse> | undefined;
function sharedToken(): Promise<TokenResponse> {
    shared = shared ?? issueToken("ledger:read");
    return shared;
}

async function typedResult(): Promise<void> {
    const entry: GetLedgerEntryV2Result = await ledger().getLedgerEntryV2({ id: "42" });
    check(entry.id === "42", `id ${entry.id}`);
    check(entry.account.code === "2100" && entry.account.name === "Accounts payable", `account ${JSON.stringify(entry.account)}`);
    check(entry.amount.value === "3326.98" && entry.amount.currency === "EUR", `amount ${JSON.stringify(entry.amount)}`);
    check(entry.memo === "Invoice INV-2026-000042", `memo ${entry.memo}`);
    check(entry.bookedOn instanceof Date && entry.bookedOn.toISOString().slice(0, 10) === "2026-11-15",
          `booked_on ${entry.bookedOn}`);
}

async function notFound(): Promise<void> {
    try {
        await ledger().getLedgerEntryV2({ id: "not-a-number" });
    } catch (error) {
        check(error instanceof ResponseError, `expected a ResponseError, got ${error}`);
        const response = (error as ResponseError).response;
        check(response.status === 404, `status ${response.status}`);
        const problem = ProblemFromJSON(await response.json());
        check(problem.status === 404 && problem.title === "Not Found", `problem ${JSON.stringify(problem)}`);
        return;
    }
    throw new Error("a 404 did not surface as an error");
}

async function clientCredentialsCall(): Promise<void> {
    const token = await sharedToken();
    check(token.tokenType === "Bearer" && token.expiresIn > 0 && token.expiresIn <= 900,
          `token answer ${token.tokenType} ${token.expiresIn}`);
    check(token.scope === "ledger:read", `scope ${token.scope}`);
    check(token.accessToken.split(".").length === 3, "the access token is not a compact JWS");
    const page: ListLedgerEntriesV2Result = await ledger(token.accessToken).listLedgerEntriesV2();
    check(page.data.length > 0 && page.page.size === page.data.length, `page ${JSON.stringify(page.page)}`);
    const first = page.data[0];
    check(first.bookedOn instanceof Date && typeof first.account.code === "string" && typeof first.amount.value === "string",
          `entry ${JSON.stringify(first)}`);
    check(page.page.nextCursor === null, `next_cursor ${page.page.nextCursor}`);
}

async function rateLimited(): Promise<void> {
    const api = ledger((await sharedToken()).accessToken);
    for (let attempt = 1; attempt <= 5; attempt++) {
        try {
            await api.listLedgerEntriesV2();
        } catch (error) {
            check(error instanceof ResponseError, `expected a ResponseError, got ${error}`);
            const response = (error as ResponseError).response;
            check(response.status === 429, `the first refusal was ${response.status}, not 429`);
            const retryAfter = Number(response.headers.get("Retry-After"));
            check(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${response.headers.get("Retry-After")}`);
            check(response.headers.get("RateLimit-Policy") !== null, "no RateLimit-Policy header");
            const problem = ProblemFromJSON(await response.json());
            check(problem.status === 429 && problem.title === "Too Many Requests", `problem ${JSON.stringify(problem)}`);
            return;
        }
    }
    throw new Error("5 calls over a 2-per-minute rate did not surface a 429");
}

async function refusedToken(): Promise<void> {
    try {
        await issueToken("ledger:read", "not-the-secret");
    } catch (error) {
        check(error instanceof ResponseError, `expected a ResponseError, got ${error}`);
        const response = (error as ResponseError).response;
        check(response.status === 401, `status ${response.status}`);
        check((response.headers.get("WWW-Authenticate") ?? "").startsWith("Basic "), "no Basic challenge");
        check(response.headers.get("Cache-Control") === "no-store", `Cache-Control ${response.headers.get("Cache-Control")}`);
        const body = OAuthErrorFromJSON(await response.json());
        check(body.error === "invalid_client", `error ${body.error}`);
        return;
    }
    throw new Error("a wrong secret got a token");
}

const checks: Array<[string, () => Promise<void>]> = [
    ["typed result from a public v2 operation", typedResult],
    ["404 surfaces as a typed error", notFound],
    ["client-credentials token from the SDK, then a scoped v2 call", clientCredentialsCall],
    ["429 surfaces as a typed error with Retry-After", rateLimited],
    ["a refused token request surfaces as a typed OAuth error", refusedToken],
];

async function main(): Promise<void> {
    let failed = 0;
    for (const [name, run] of checks) {
        try {
            await run();
            console.log(`ok ${name}`);
        } catch (error) {
            failed += 1;
            console.log(`FAIL ${name}: ${error instanceof Error ? error.message : error}`);
        }
    }
    console.log(`typescript smoke: ${checks.length - failed} of ${checks.length} checks passed`);
    process.exit(failed === 0 ? 0 : 1);
}

main();
