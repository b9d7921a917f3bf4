// Package adaptersrv serves gwcert's Go codec behind the crypto-adapter
// contract of DESIGN.md: one JSON request a line in, one answer a line
// out, in order. `gwcert adapter` runs it on stdin and stdout.
package adaptersrv

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/gwcert/gwcert/envelope"
)

// Serve answers every request line of r on w until r ends.
func Serve(r io.Reader, w io.Writer) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	out := bufio.NewWriter(w)
	for sc.Scan() {
		if len(sc.Bytes()) == 0 {
			continue
		}
		line, _ := json.Marshal(Answer(sc.Bytes()))
		out.Write(append(line, '\n'))
		if err := out.Flush(); err != nil {
			return fmt.Errorf("adapter: writing an answer: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("adapter: reading requests: %w", err)
	}
	return nil
}

// adapterRequest is one line of the contract.
type adapterRequest struct {
	ID           json.RawMessage `json:"id"`
	Op           string          `json:"op"`
	Scheme       string          `json:"scheme"`
	Key          string          `json:"key"`
	IV           string          `json:"iv"`
	Plaintext    string          `json:"plaintext"`
	Token        string          `json:"token"`
	ClientID     string          `json:"client_id"`
	ClientSecret string          `json:"client_secret"`
	Epoch        string          `json:"epoch"`
}

// Answer answers one request line of the contract; it never fails: a
// line it cannot use gets an error answer.
func Answer(line []byte) map[string]any {
	var req adapterRequest
	if err := json.Unmarshal(line, &req); err != nil {
		return map[string]any{"id": nil, "error": "invalid input: not JSON"}
	}
	ans := map[string]any{"id": req.ID}
	if len(req.ID) == 0 {
		ans["id"] = nil
	}
	for k, v := range serveOp(req) {
		ans[k] = v
	}
	return ans
}

func serveOp(req adapterRequest) map[string]any {
	scheme, err := envelope.ParseScheme(req.Scheme)
	if err != nil || req.Scheme == "" {
		return map[string]any{"error": "unsupported"}
	}
	key, err := hex.DecodeString(req.Key)
	if err != nil {
		return map[string]any{"error": "invalid input: key"}
	}
	codec, err := envelope.New(scheme, key)
	if err != nil {
		return map[string]any{"error": "invalid input: key"}
	}
	switch req.Op {
	case "seal":
		return sealOp(codec, req.IV, req.Plaintext)
	case "open":
		pt, err := codec.AppendOpen(nil, []byte(req.Token))
		if err != nil {
			return map[string]any{"error": string(envelope.KindOf(err))}
		}
		return map[string]any{"plaintext": hex.EncodeToString(pt)}
	case "header":
		epoch, err := strconv.ParseInt(req.Epoch, 10, 64)
		if _, verr := (envelope.HeaderSecrets{Epoch: req.Epoch}).Unix(); err != nil || verr != nil {
			return map[string]any{"error": "invalid input: epoch"}
		}
		res := sealOp(codec, req.IV, hex.EncodeToString(
			envelope.AppendHeaderJSON(nil, req.ClientID, req.ClientSecret, epoch)))
		if tok, ok := res["token"]; ok {
			return map[string]any{"header_secrets": tok}
		}
		return res
	}
	return map[string]any{"error": "unsupported"}
}

func sealOp(codec *envelope.Codec, ivHex, ptHex string) map[string]any {
	iv, err := hex.DecodeString(ivHex)
	if err != nil {
		return map[string]any{"error": "invalid input: iv"}
	}
	pt, err := hex.DecodeString(ptHex)
	if err != nil {
		return map[string]any{"error": "invalid input: plaintext"}
	}
	tok, err := codec.AppendSealIV(nil, iv, pt)
	if err != nil {
		return map[string]any{"error": "invalid input: iv"}
	}
	return map[string]any{"token": string(tok)}
}
