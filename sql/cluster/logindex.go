package cluster

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// LogIndex is the highest Raft log index stored in the node's data directory
// dir: the end of its last closed segment (or of its latest snapshot), plus
// the entries its open segments hold. dqlite 1.11 tells no client a node's
// applied index, but a node applies what it stores within moments, so this
// is how far each node has come.
func LogIndex(dir string) (uint64, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("read the node's data directory: %w", err)
	}
	var base uint64
	var open []uint64
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, "open-"):
			if n, err := strconv.ParseUint(strings.TrimPrefix(name, "open-"), 10, 64); err == nil {
				open = append(open, n)
			}
		case strings.HasPrefix(name, "snapshot-") && !strings.HasSuffix(name, ".meta"):
			if parts := strings.Split(name, "-"); len(parts) == 4 {
				if i, err := strconv.ParseUint(parts[2], 10, 64); err == nil {
					base = max(base, i)
				}
			}
		default:
			if first, last, ok := strings.Cut(name, "-"); ok && len(first) == 16 && len(last) == 16 {
				if i, err := strconv.ParseUint(last, 10, 64); err == nil {
					base = max(base, i)
				}
			}
		}
	}
	sort.Slice(open, func(i, j int) bool { return open[i] < open[j] })
	for _, n := range open {
		count, err := openSegmentEntries(filepath.Join(dir, "open-"+strconv.FormatUint(n, 10)))
		if err != nil {
			return 0, err
		}
		base += count
	}
	return base, nil
}

// openSegmentEntries counts the entries written to one of Raft's open
// segments: after an 8-byte format version come batches, each a 16-byte
// preamble (two checksums, the entry count), a 16-byte header per entry
// (term, type, padding, data size) and the data, every entry's padded to 8
// bytes; the preallocated rest of the file is zeros.
func openSegmentEntries(path string) (uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("open Raft segment: %w", err)
	}
	defer f.Close()
	var version [8]byte
	if _, err := io.ReadFull(f, version[:]); err != nil {
		return 0, nil // not written to yet
	}
	var count uint64
	for {
		var preamble [16]byte
		if _, err := io.ReadFull(f, preamble[:]); err != nil {
			return count, nil
		}
		n := binary.LittleEndian.Uint64(preamble[8:])
		if n == 0 || n > 1<<20 {
			return count, nil
		}
		headers := make([]byte, 16*n)
		if _, err := io.ReadFull(f, headers); err != nil {
			return count, nil // a batch cut short is not stored
		}
		var size int64
		for i := range n {
			l := int64(binary.LittleEndian.Uint32(headers[16*i+12:]))
			size += (l + 7) / 8 * 8
		}
		if _, err := f.Seek(size, io.SeekCurrent); err != nil {
			return count, nil
		}
		count += n
	}
}
