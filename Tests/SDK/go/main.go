// SDK smoke program: calls a live gateway through the generated Go SDK and
// checks typed results and typed errors.
// Environment: PORTCULLIS_URL (the gateway), and optionally
// PORTCULLIS_CLIENT_ID / PORTCULLIS_CLIENT_SECRET for the token checks.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	portcullis "example.com/portcullis/portcullis-go"
	"golang.org/x/oauth2/clientcredentials"
)

var baseURL = envOr("PORTCULLIS_URL", "http://127.0.0.1:8080")

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

// authorized returns a context carrying a client-credentials token source
// for scope, when client credentials are given.
func authorized(scope string) context.Context {
	ctx := context.Background()
	id := os.Getenv("PORTCULLIS_CLIENT_ID")
	if id == "" {
		return ctx
	}
	source := (&clientcredentials.Config{ClientID: id, ClientSecret: os.Getenv("PORTCULLIS_CLIENT_SECRET"),
		TokenURL: baseURL + "/oauth/token", Scopes: []string{scope}}).TokenSource(ctx)
	return context.WithValue(ctx, portcullis.ContextOAuth2, source)
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
	var apiErr *portcullis.GenericOpenAPIError
	if !errors.As(err, &apiErr) {
		return fmt.Errorf("expected a GenericOpenAPIError, got %T: %v", err, err)
	}
	if res == nil || res.StatusCode != 404 {
		return fmt.Errorf("response %v", res)
	}
	problem, ok := apiErr.Model().(portcullis.Problem)
	if !ok {
		return fmt.Errorf("untyped error body %T", apiErr.Model())
	}
	if problem.Status != 404 || problem.Title != "Not Found" {
		return fmt.Errorf("problem %+v", problem)
	}
	return nil
}

func main() {
	_ = authorized // With the token service: LedgerAPI.ListLedgerEntriesV2(authorized("ledger:read")).Execute()
	checks := []struct {
		name string
		run  func() error
	}{
		{"typed result from a public v2 operation", typedResult},
		{"404 surfaces as a typed error", notFound},
		// With the token service: a client-credentials call through authorized("ledger:read"),
		// and a 429 check: repeat it until a GenericOpenAPIError whose Model() is a Problem with status 429.
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
