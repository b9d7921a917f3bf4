package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/gwcert/gwcert/envelope"
)

// runAdapter serves gwcert's Go codec behind the crypto-adapter contract
// of DESIGN.md: one JSON request a line on stdin, one answer a line on
// stdout, in order, until stdin closes.
func runAdapter(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("adapter", "< requests.jsonl", std.out)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sc := bufio.NewScanner(std.in)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	out := bufio.NewWriter(std.out)
	for sc.Scan() {
		if len(sc.Bytes()) == 0 {
			continue
		}
		line, _ := json.Marshal(answerAdapterRequest(sc.Bytes()))
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

func answerAdapterRequest(line []byte) map[string]any {
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
