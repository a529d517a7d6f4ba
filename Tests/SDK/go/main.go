// SDK smoke program: calls a live gateway through the generated Go SDK and
// checks typed results and typed errors.
// Environment: PORTCULLIS_URL (the gateway), PORTCULLIS_CLIENT_ID and
// PORTCULLIS_CLIENT_SECRET (a client granted ledger:read whose rate is 2 requests a minute).
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"

	portcullis "example.com/portcullis/portcullis-go"
	"golang.org/x/oauth2"
)

var (
	baseURL      = envOr("PORTCULLIS_URL", "http://127.0.0.1:8080")
	clientID     = os.Getenv("PORTCULLIS_CLIENT_ID")
	clientSecret = os.Getenv("PORTCULLIS_CLIENT_SECRET")
)

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func client() *portcullis.APIClient {
	config := portcullis.NewConfiguration()
	config.Servers = portcullis.ServerConfigurations{{URL: baseURL}}
	return portcullis.NewAPIClient(config)
}

// issueToken asks the generated token operation (form body, HTTP Basic) for a client-credentials token.
func issueToken(scope, secret string) (*portcullis.TokenResponse, *http.Response, error) {
	ctx := context.WithValue(context.Background(), portcullis.ContextBasicAuth,
		portcullis.BasicAuth{UserName: clientID, Password: secret})
	return client().OauthAPI.IssueToken(ctx).GrantType("client_credentials").Scope(scope).Execute()
}

// The token every scoped check shares (one issuance, many calls).
var shared *portcullis.TokenResponse

func sharedToken() (*portcullis.TokenResponse, error) {
	if shared == nil {
		token, _, err := issueToken("ledger:read", clientSecret)
		if err != nil {
			return nil, err
		}
		shared = token
	}
	return shared, nil
}

// authorized is a context whose requests carry token as a bearer token.
func authorized(token *portcullis.TokenResponse) context.Context {
	source := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token.AccessToken, TokenType: token.TokenType})
	return context.WithValue(context.Background(), portcullis.ContextOAuth2, source)
}

// problemOf is the typed problem document of an SDK error.
func problemOf(err error) (portcullis.Problem, error) {
	var apiErr *portcullis.GenericOpenAPIError
	if !errors.As(err, &apiErr) {
		return portcullis.Problem{}, fmt.Errorf("expected a GenericOpenAPIError, got %T: %v", err, err)
	}
	problem, ok := apiErr.Model().(portcullis.Problem)
	if !ok {
		return portcullis.Problem{}, fmt.Errorf("untyped error body %T", apiErr.Model())
	}
	return problem, nil
}

func typedResult() error {
	entry, res, err := client().LedgerAPI.GetLedgerEntryV2(context.Background(), "42").Execute()
	if err != nil {
		return err
	}
	if res.StatusCode != 200 {
		return fmt.Errorf("status %d", res.StatusCode)
	}
	switch {
	case entry.Id != "42":
		return fmt.Errorf("id %q", entry.Id)
	case entry.Account.Code != "2100" || entry.Account.Name != "Accounts payable":
		return fmt.Errorf("account %+v", entry.Account)
	case entry.Amount.Value != "3326.98" || entry.Amount.Currency != "EUR":
		return fmt.Errorf("amount %+v", entry.Amount)
	case entry.Memo != "Invoice INV-2026-000042":
		return fmt.Errorf("memo %q", entry.Memo)
	case entry.BookedOn != "2026-11-15":
		return fmt.Errorf("booked_on %q", entry.BookedOn)
	}
	return nil
}

func notFound() error {
	_, res, err := client().LedgerAPI.GetLedgerEntryV2(context.Background(), "not-a-number").Execute()
	if err == nil {
		return errors.New("a 404 did not surface as an error")
	}
	if res == nil || res.StatusCode != 404 {
		return fmt.Errorf("response %v", res)
	}
	problem, err := problemOf(err)
	if err != nil {
		return err
	}
	if problem.Status != 404 || problem.Title != "Not Found" {
		return fmt.Errorf("problem %+v", problem)
	}
	return nil
}

func clientCredentialsCall() error {
	token, err := sharedToken()
	if err != nil {
		return fmt.Errorf("token: %v", err)
	}
	switch {
	case token.TokenType != "Bearer" || token.ExpiresIn <= 0 || token.ExpiresIn > 900:
		return fmt.Errorf("token answer %s %d", token.TokenType, token.ExpiresIn)
	case token.Scope != "ledger:read":
		return fmt.Errorf("scope %q", token.Scope)
	case strings.Count(token.AccessToken, ".") != 2:
		return errors.New("the access token is not a compact JWS")
	}
	page, res, err := client().LedgerAPI.ListLedgerEntriesV2(authorized(token)).Execute()
	if err != nil {
		return err
	}
	if res.StatusCode != 200 || len(page.Data) == 0 || int(page.Page.Size) != len(page.Data) {
		return fmt.Errorf("status %d, page %+v", res.StatusCode, page.Page)
	}
	if first := page.Data[0]; first.BookedOn == "" || first.Account.Code == "" || first.Amount.Value == "" {
		return fmt.Errorf("entry %+v", first)
	}
	if page.Page.NextCursor.Get() != nil {
		return fmt.Errorf("next_cursor %q", *page.Page.NextCursor.Get())
	}
	return nil
}

func rateLimited() error {
	token, err := sharedToken()
	if err != nil {
		return fmt.Errorf("token: %v", err)
	}
	api := client().LedgerAPI
	for attempt := 1; attempt <= 5; attempt++ {
		_, res, err := api.ListLedgerEntriesV2(authorized(token)).Execute()
		if err == nil {
			continue
		}
		if res == nil || res.StatusCode != 429 {
			return fmt.Errorf("the first refusal was %v, not 429: %v", res, err)
		}
		if seconds, convErr := strconv.Atoi(res.Header.Get("Retry-After")); convErr != nil || seconds < 1 {
			return fmt.Errorf("Retry-After %q", res.Header.Get("Retry-After"))
		}
		if res.Header.Get("RateLimit-Policy") == "" {
			return errors.New("no RateLimit-Policy header")
		}
		problem, err := problemOf(err)
		if err != nil {
			return err
		}
		if problem.Status != 429 || problem.Title != "Too Many Requests" {
			return fmt.Errorf("problem %+v", problem)
		}
		return nil
	}
	return errors.New("5 calls over a 2-per-minute rate did not surface a 429")
}

func refusedToken() error {
	_, res, err := issueToken("ledger:read", "not-the-secret")
	if err == nil {
		return errors.New("a wrong secret got a token")
	}
	if res == nil || res.StatusCode != 401 {
		return fmt.Errorf("response %v: %v", res, err)
	}
	if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Basic ") || res.Header.Get("Cache-Control") != "no-store" {
		return fmt.Errorf("headers %v", res.Header)
	}
	var apiErr *portcullis.GenericOpenAPIError
	if !errors.As(err, &apiErr) {
		return fmt.Errorf("expected a GenericOpenAPIError, got %T: %v", err, err)
	}
	body, ok := apiErr.Model().(portcullis.OAuthError)
	if !ok || body.Error != "invalid_client" {
		return fmt.Errorf("error body %#v", apiErr.Model())
	}
	return nil
}

func main() {
	checks := []struct {
		name string
		run  func() error
	}{
		{"typed result from a public v2 operation", typedResult},
		{"404 surfaces as a typed error", notFound},
		{"client-credentials token from the SDK, then a scoped v2 call", clientCredentialsCall},
		{"429 surfaces as a typed error with Retry-After", rateLimited},
		{"a refused token request surfaces as a typed OAuth error", refusedToken},
	}
	failed := 0
	for _, check := range checks {
		if err := check.run(); err != nil {
			failed++
			fmt.Printf("FAIL %s: %v\n", check.name, err)
		} else {
			fmt.Printf("ok %s\n", check.name)
		}
	}
	fmt.Printf("go smoke: %d of %d checks passed\n", len(checks)-failed, len(checks))
	if failed > 0 {
		os.Exit(1)
	}
}
