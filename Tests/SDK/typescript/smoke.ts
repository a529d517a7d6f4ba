// SDK smoke program: calls a live gateway through the generated TypeScript
// SDK (typescript-fetch) and checks typed results and typed errors.
// Environment: PORTCULLIS_URL (the gateway), and optionally
// PORTCULLIS_CLIENT_ID / PORTCULLIS_CLIENT_SECRET for the token checks.
import {
    Configuration, GetLedgerEntryV2Result, IssueTokenGrantTypeEnum, LedgerApi, OauthApi, ProblemFromJSON,
    ResponseError,
} from "./sdk/dist";

declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

const baseURL = process.env.PORTCULLIS_URL ?? "http://127.0.0.1:8080";

function check(condition: boolean, message: string): void {
    if (!condition) throw new Error(message);
}

/** A client-credentials token from the gateway's token endpoint. */
async function token(scope: string): Promise<string> {
    const oauth = new OauthApi(new Configuration({
        basePath: baseURL, username: process.env.PORTCULLIS_CLIENT_ID, password: process.env.PORTCULLIS_CLIENT_SECRET,
    }));
    const answer = await oauth.issueToken({ grantType: IssueTokenGrantTypeEnum.ClientCredentials, scope });
    check(answer.tokenType === "Bearer" && answer.expiresIn <= 900, "unexpected token answer");
    return answer.accessToken;
}

/** The ledger API, with a bearer token when client credentials are given. */
function ledger(scope?: string): LedgerApi {
    const withToken = scope !== undefined && process.env.PORTCULLIS_CLIENT_ID !== undefined;
    return new LedgerApi(new Configuration({
        basePath: baseURL,
        // typescript-fetch puts the callback's answer into Authorization as is: it must include "Bearer ".
        accessToken: withToken ? async () => `Bearer ${await token(scope!)}` : undefined,
    }));
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

const checks: Array<[string, () => Promise<void>]> = [
    ["typed result from a public v2 operation", typedResult],
    ["404 surfaces as a typed error", notFound],
    // With the token service: ["client-credentials token", () => token("ledger:read").then(() => undefined)],
    // and a 429 check: call a scoped operation with ledger("ledger:read") until a ResponseError with status 429.
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
