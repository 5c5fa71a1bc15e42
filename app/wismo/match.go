package wismo

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"strings"

	"switchyard/app"
	store "switchyard/sql"
)

// compared is how many orders every question compares its proof with, real
// or dummy, so that the time does not tell how many orders share a name.
const compared = 8

// noOrder is what an empty slot is compared with: it matches no proof.
const noOrder = "\x00no order"

// find is the order named in.name whose email or postal code is in.proof,
// inside tx: Switchyard's number, or the channel's name with or without its
// "#", on the key's channel when it is bound to one, else on any channel.
// Of several orders of that name only one whose proof matches counts (the
// newest); the others are never told of. The work is the same whether or
// not an order is found: both lookups, and compared constant-time comparisons.
func find(ctx context.Context, tx app.Tx, channel string, in question) (store.Order, bool, error) {
	cands, err := candidates(ctx, tx, channel, in.name)
	if err != nil {
		return store.Order{}, false, err
	}
	var hit store.Order
	ok := 0
	for i := range max(compared, len(cands)) {
		want, real := noOrder, i < len(cands)
		if real {
			want = cands[i].ShipPostalCode
			if in.email {
				want = cands[i].CustomerEmail
			}
		}
		if proves(in.proof, want) && real && ok == 0 {
			hit, ok = cands[i], 1
		}
	}
	return hit, ok == 1, nil
}

// proves reports, in constant time, whether proof is want: both are hashed
// first, so that their lengths tell nothing either. An empty stored value
// matches nothing.
func proves(proof, want string) bool {
	w := normalProof(want)
	if w == "" {
		w = noOrder
	}
	a, b := sha256.Sum256([]byte(proof)), sha256.Sum256([]byte(w))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// candidates are the orders named name on the key's channel (any channel
// when channel is ""), newest first, at most compared of each kind.
func candidates(ctx context.Context, tx app.Tx, channel, name string) ([]store.Order, error) {
	var chID int64
	if channel != "" {
		chID = -1 // a key bound to a channel that is gone reaches nothing
		if ch, err := tx.Q.GetChannelByCode(ctx, channel); err == nil {
			chID = ch.ID
		} else if !store.IsNoRows(err) {
			return nil, fmt.Errorf("key's channel: %w", err)
		}
	}
	byNumber, err := tx.Q.WismoOrdersByNumber(ctx, store.WismoOrdersByNumberParams{Number: strings.ToUpper(name), ChannelID: chID})
	if err != nil {
		return nil, fmt.Errorf("orders by number: %w", err)
	}
	ref, alt := refs(name)
	byRef, err := tx.Q.WismoOrdersByRef(ctx, store.WismoOrdersByRefParams{Ref: ref, AltRef: alt, ChannelID: chID})
	if err != nil {
		return nil, fmt.Errorf("orders by channel name: %w", err)
	}
	out := byNumber
	for _, o := range byRef {
		if len(out) == 0 || out[0].ID != o.ID {
			out = append(out, o)
		}
	}
	return out, nil
}

// refs are the channel names name may stand for: as given, and with the "#"
// channels put in front taken off or added ("1042" and "#1042").
func refs(name string) (string, string) {
	if rest, ok := strings.CutPrefix(name, "#"); ok {
		return name, strings.TrimSpace(rest)
	}
	return name, "#" + name
}

// orderKey is the counter of attempts at one order name on the key's
// channel (all channels for a key bound to none): "#1042", "1042" and
// " #1042 " count as one.
func orderKey(channel, name string) string {
	name = strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(name, "#")))
	return "order:" + digest(channel+"\x00"+name)
}
