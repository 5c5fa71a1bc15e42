package cluster

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// writeOpenSegment writes an open segment holding batches of entries with
// the given data sizes, then zeros as Raft preallocates.
func writeOpenSegment(t *testing.T, path string, batches ...[]uint32) {
	t.Helper()
	buf := binary.LittleEndian.AppendUint64(nil, 1) // format version
	for _, sizes := range batches {
		buf = binary.LittleEndian.AppendUint64(buf, 0xdeadbeef) // checksums
		buf = binary.LittleEndian.AppendUint64(buf, uint64(len(sizes)))
		for _, s := range sizes {
			buf = binary.LittleEndian.AppendUint64(buf, 3) // term
			buf = append(buf, 1, 0, 0, 0)                  // type, padding
			buf = binary.LittleEndian.AppendUint32(buf, s) // size
		}
		for _, s := range sizes {
			buf = append(buf, make([]byte, (s+7)/8*8)...)
		}
	}
	buf = append(buf, make([]byte, 4096)...)
	if err := os.WriteFile(path, buf, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLogIndex(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"0000000000000001-0000000000000001", "0000000000000002-0000000000000091",
		"snapshot-1-80-479228", "snapshot-1-80-479228.meta", "metadata1", "info.yaml"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	writeOpenSegment(t, filepath.Join(dir, "open-3"), []uint32{13, 4096}, []uint32{1})
	writeOpenSegment(t, filepath.Join(dir, "open-4"))
	got, err := LogIndex(dir)
	if err != nil || got != 94 {
		t.Fatalf("LogIndex = %d, %v; want 91 closed + 3 open = 94", got, err)
	}
	// Only a snapshot, past the closed segments Raft has removed.
	dir2 := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir2, "snapshot-2-1024-5"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	writeOpenSegment(t, filepath.Join(dir2, "open-9"), []uint32{7})
	if got, err := LogIndex(dir2); err != nil || got != 1025 {
		t.Fatalf("LogIndex = %d, %v; want 1025", got, err)
	}
	if _, err := LogIndex(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("a missing directory must be an error")
	}
}
