package mockgateway_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

// A gateway built from the bundled mock profile, called in-process
// through httptest by a client that seals with envelope.
func ExampleNew() {
	cfg, err := mockgateway.FromProfile(profiles.Default(), profiles.MockCredentials)
	if err != nil {
		panic(err)
	}
	gw, err := mockgateway.New(cfg)
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(gw)
	defer srv.Close()

	mock := profiles.MockCredentials[profiles.Primary]
	key, _ := envelope.ParseKey(mock.Key, envelope.KeyBase64)
	codec, _ := envelope.New(envelope.CBC, key)
	cred := envelope.Credentials{PassKey: mock.PassKey, ClientID: mock.ClientID,
		ClientSecret: mock.ClientSecret}
	req, _ := codec.NewHTTPRequest(context.Background(), "POST", srv.URL+"/api/echo", cred,
		[]byte(`{"amount":"10.00"}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	answer, err := codec.OpenResponse(resp.StatusCode, body)
	fmt.Println(resp.StatusCode, string(answer.JSON), err)

	ex := gw.Exchanges()[0]
	fmt.Println(ex.Client, ex.Path, len(ex.Checks), "checks passed")
	// Output:
	// 200 {"amount":"10.00"} <nil>
	// primary /api/echo 11 checks passed
}
