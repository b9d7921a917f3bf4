package vectors

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
)

// Digest identifies a set of vector files, for example on a certificate. It
// returns "sha256:" and the hex SHA-256 of, for each file in order, its Name
// and then its canonical bytes, each preceded by its length as a big-endian
// uint64. The canonical bytes of a loaded file are its JSON with
// insignificant white space removed (as by encoding/json.Compact), so a
// change of indentation or line endings keeps the digest while any change
// to a name, member or value alters it. The digest of a loaded file covers
// the bytes it was loaded from, even if its fields are changed later; a File
// built in memory is hashed over its encoding/json form.
func Digest(files []*File) string {
	h := sha256.New()
	for _, f := range files {
		writeField(h, []byte(f.Name))
		writeField(h, f.canonicalBytes())
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

func writeField(h hash.Hash, b []byte) {
	var size [8]byte
	binary.BigEndian.PutUint64(size[:], uint64(len(b)))
	h.Write(size[:])
	h.Write(b)
}

func (f *File) canonicalBytes() []byte {
	if f.canonical != nil {
		return f.canonical
	}
	b, err := json.Marshal(f)
	if err != nil {
		// File holds only strings, numbers, booleans, slices and maps
		// with string keys, which encoding/json always encodes.
		panic(fmt.Sprintf("vectors: encoding %s: %v", f.Name, err))
	}
	return b
}
