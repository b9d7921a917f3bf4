package benchkit

import (
	"net/http"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

type vegetaTarget = vegeta.Target

// fillTarget makes tgt a POST of a small JSON body to url.
func fillTarget(tgt *vegeta.Target, url string) error {
	*tgt = vegeta.Target{Method: http.MethodPost, URL: url, Body: []byte(`{}`)}
	return nil
}
