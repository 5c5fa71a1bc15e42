package automation

import "slices"

// kind is the type of a fact, which decides its operators and values.
type kind int

const (
	kString kind = iota // compared without case
	kMoney              // a decimal amount in major units ("1000.00")
	kInt                // a whole number
	kList               // a set of words (tags, SKUs)
	kBool               // true or false
)

// Fields lists the facts a condition may name, with their kind.
var fields = map[string]kind{
	"channel":              kString,
	"country":              kString,
	"currency":             kString,
	"email_domain":         kString,
	"delivery":             kString,
	"total":                kMoney,
	"quantity":             kInt,
	"customer_order_count": kInt,
	"orders_in_days":       kInt,
	"promise_days":         kInt,
	"tags":                 kList,
	"sku":                  kList,
	"sku_tag":              kList,
	"first_order":          kBool,
	"address_check_failed": kBool,
	"po_box":               kBool,
}

// opsOf are the operators each kind of fact takes. On a list, contains and
// eq ask whether it holds the value, ne whether it does not, in whether it
// holds any of the values.
var opsOf = map[kind][]string{
	kString: {OpEq, OpNe, OpIn, OpContains},
	kMoney:  {OpEq, OpNe, OpGt, OpGte, OpLt, OpLte},
	kInt:    {OpEq, OpNe, OpGt, OpGte, OpLt, OpLte, OpIn},
	kList:   {OpContains, OpEq, OpNe, OpIn},
	kBool:   {OpEq, OpNe},
}

// FieldNames lists the fields a condition may name, sorted.
func FieldNames() []string {
	out := make([]string, 0, len(fields))
	for f := range fields {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// Operators lists the operators, in the order the documentation gives them.
var Operators = []string{OpEq, OpNe, OpGt, OpGte, OpLt, OpLte, OpIn, OpContains}
