package envelope_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/gwcert/gwcert/envelope"
)

// The expected outputs below were computed with Node's crypto module from
// the same key, IVs and texts.

func ExampleCodec_SealRequest() {
	key, err := envelope.ParseKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", envelope.KeyBase64)
	if err != nil {
		fmt.Println(err)
		return
	}
	// A fixed IV source and clock make the output reproducible. A real
	// client leaves both options out: IVs then come from crypto/rand and
	// the epoch from time.Now.
	ivs := append(bytes.Repeat([]byte{1}, 16), bytes.Repeat([]byte{2}, 16)...) // header, then body
	clock := func() time.Time { return time.Unix(1727954878, 0) }
	c, err := envelope.New(envelope.CBC, key, envelope.WithIVSource(bytes.NewReader(ivs)),
		envelope.WithClock(clock))
	if err != nil {
		fmt.Println(err)
		return
	}

	cred := envelope.Credentials{PassKey: "PK7QXWZ3", ClientID: "GW-CLIENT-0001",
		ClientSecret: "Zk3pQ9rT2vX8mW5n"}
	var r envelope.Request
	if err := c.SealRequest(&r, cred, []byte(`{"amount":"10.00","currency":"INR"}`)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("header_secrets: %s\n", r.HeaderSecrets)
	fmt.Printf("body: %s\n", r.Body)
	// Output:
	// header_secrets: AQEBAQEBAQEBAQEBAQEBAWbz4s+P2vCo6njzyZ7xQbAg3BR5rLpUvxac9jp6Snd4o2YzXyL6leVy1nD0d+E1OUXYnw7jHFZlj+qB7Ffm/R63AdM3/3/kjwaRe5+4DwlYC4dd9oVVJPx4ygBwLHJn5A==
	// body: {"RequestData":"AgICAgICAgICAgICAgICAkdvUHjMUYSC0lZpoYEdxLMrL26cq/Blbkk8LuL3rK50MCEBVJL4Va82WusEFLB9Iw=="}
}

func ExampleCodec_OpenResponse() {
	key, err := envelope.ParseKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", envelope.KeyBase64)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := envelope.New(envelope.CBC, key)
	if err != nil {
		fmt.Println(err)
		return
	}

	// A success is sealed and opened.
	ok := []byte(`{"ResponseData":"AwMDAwMDAwMDAwMDAwMDAy3QiHRnTKN9iYGfzn5cNysfvY9bGm9G` +
		`wNaU62HTpVi4se4zUnoHWt7GNruOQcxb0w=="}`)
	resp, err := c.OpenResponse(200, ok)
	fmt.Println(resp.Status, resp.Encrypted, string(resp.JSON), err)

	// A failure is plain JSON and comes back as it is.
	denied := []byte(`{"status":"FAILURE","statusCode":401,"statusDesc":"invalid pass_key"}`)
	resp, err = c.OpenResponse(401, denied)
	fmt.Println(resp.Status, resp.Encrypted, string(resp.JSON), err)

	// A success without ResponseData breaks the protocol.
	_, err = c.OpenResponse(200, []byte(`{"status":"SUCCESS"}`))
	fmt.Println(envelope.KindOf(err), err)
	// Output:
	// 200 true {"status":"SUCCESS","transferId":"TRF-000123"} <nil>
	// 401 false {"status":"FAILURE","statusCode":401,"statusDesc":"invalid pass_key"} <nil>
	// member envelope: member error in ResponseData: member missing
}

func ExampleParseKey() {
	key, err := envelope.ParseKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", envelope.KeyBase64)
	fmt.Println(len(key), err)

	// The URL-safe alphabet is refused; the error says why and where,
	// without repeating the key.
	_, err = envelope.ParseKey("-_8AAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0=", envelope.KeyBase64)
	fmt.Println(err)

	// A raw key is 32 bytes used as they are.
	key, err = envelope.ParseKey("0123456789abcdef0123456789abcdef", envelope.KeyRaw)
	fmt.Println(len(key), err)
	// Output:
	// 32 <nil>
	// envelope: key error in key at offset 0: not standard base64 (a base64 key is 44 characters of A-Z a-z 0-9 + / =)
	// 32 <nil>
}
