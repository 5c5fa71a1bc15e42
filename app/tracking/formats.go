package tracking

import (
	"cmp"
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// courierFS holds the courier files of jkeen/tracking_number_data, verbatim,
// and their licence (see couriers/SOURCES.md).
//
//go:embed couriers/*.json couriers/LICENSE.tracking_number_data
var courierFS embed.FS

// courierFile is one couriers/*.json file.
type courierFile struct {
	Name            string       `json:"name"`
	CourierCode     string       `json:"courier_code"`
	TrackingNumbers []numberSpec `json:"tracking_numbers"`
}

// numberSpec is one entry of a courier file's tracking_numbers.
type numberSpec struct {
	Name        string           `json:"name"`
	ID          string           `json:"id"`
	Regex       regexParts       `json:"regex"`
	Validation  validationSpec   `json:"validation"`
	TrackingURL *string          `json:"tracking_url"`
	Additional  []additionalSpec `json:"additional"`
	TestNumbers struct {
		Valid   []string `json:"valid"`
		Invalid []string `json:"invalid"`
	} `json:"test_numbers"`
}

// key names an entry within its file: its id, or its name when it has none.
func (s numberSpec) key() string { return cmp.Or(s.ID, s.Name) }

// regexParts is a regex given as one string or as parts to concatenate.
type regexParts []string

// UnmarshalJSON reads one pattern or a list of parts.
func (r *regexParts) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*r = regexParts{one}
		return nil
	}
	var parts []string
	if err := json.Unmarshal(b, &parts); err != nil {
		return fmt.Errorf("regex is neither a string nor an array of strings: %w", err)
	}
	*r = parts
	return nil
}

type validationSpec struct {
	Checksum           *checksumSpec `json:"checksum"`
	SerialNumberFormat *struct {
		PrependIf *struct {
			MatchesRegex string `json:"matches_regex"`
			Content      string `json:"content"`
		} `json:"prepend_if"`
	} `json:"serial_number_format"`
	Additional *struct {
		Exists []string `json:"exists"`
	} `json:"additional"`
}

type additionalSpec struct {
	Name           string       `json:"name"`
	RegexGroupName string       `json:"regex_group_name"`
	Lookup         []lookupSpec `json:"lookup"`
}

type lookupSpec struct {
	Matches      string `json:"matches"`
	MatchesRegex string `json:"matches_regex"`
	Name         string `json:"name"`
	Description  string `json:"description"`
}

// format is one compiled entry.
type format struct {
	file, key, name         string
	re                      *regexp.Regexp // anchored: matches the whole normalised number
	serialGroup, checkGroup int            // SerialNumber and CheckDigit group indexes; -1 when absent
	checksum                checksumFunc   // nil when the entry has no check digit
	prependIf               func(serial string) bool
	prepend                 string
	url                     string // template with %s; "" when none
	lookups                 []lookup
	exists                  []int // lookups that must find the number's group in their table
	service                 int   // the "Service Type" lookup; -1 when none
}

// lookup is an "additional" table: values of one regex group and what they mean.
type lookup struct {
	name  string
	group int
	items []lookupItem
}

type lookupItem struct {
	exact       string
	re          *regexp.Regexp // anchored; nil when exact is used
	name        string
	description string
}

// find is the item matching value, if any.
func (l lookup) find(value string) (lookupItem, bool) {
	for _, it := range l.items {
		if (it.re == nil && it.exact == value) || (it.re != nil && it.re.MatchString(value)) {
			return it, true
		}
	}
	return lookupItem{}, false
}

// skippedFormat is an entry the package cannot use, and why.
type skippedFormat struct {
	file, key, name, reason string
}

// carrierSet is what Validate needs for one carrier.
type carrierSet struct {
	def     carrierDef
	formats []*format
	skipped []skippedFormat
	url     string // the first template of its formats, or the carrier's own
}

// skippedNames are the names of the carrier's skipped formats.
func (s *carrierSet) skippedNames() []string {
	names := make([]string, len(s.skipped))
	for i, sk := range s.skipped {
		names[i] = sk.name
	}
	return names
}

// registry is the read-only format table.
type registry struct {
	files    map[string][]*format // every compiled entry of every embedded file, by file
	skipped  []skippedFormat      // every entry of every embedded file that could not be compiled
	carriers map[string]*carrierSet
}

// loadRegistry builds the table once. Patterns Go cannot compile are skipped,
// not fatal; a courier file that cannot be read or parsed, or a carrier
// mapping to an entry that does not exist, is a programming error caught by
// the tests.
var loadRegistry = sync.OnceValue(func() *registry {
	r, err := buildRegistry()
	if err != nil {
		panic(fmt.Sprintf("tracking: embedded courier data: %v", err))
	}
	return r
})

// buildRegistry parses and compiles every embedded courier file and maps the carriers to them.
func buildRegistry() (*registry, error) {
	r := &registry{files: map[string][]*format{}, carriers: map[string]*carrierSet{}}
	entries, err := courierFS.ReadDir("couriers")
	if err != nil {
		return nil, err
	}
	skippedByFile := map[string][]skippedFormat{}
	for _, e := range entries {
		file := e.Name()
		if !strings.HasSuffix(file, ".json") {
			continue
		}
		cf, err := readCourierFile(file)
		if err != nil {
			return nil, err
		}
		r.files[file] = []*format{}
		for _, spec := range cf.TrackingNumbers {
			f, err := compileFormat(file, spec)
			if err != nil {
				sk := skippedFormat{file: file, key: spec.key(), name: spec.Name, reason: err.Error()}
				r.skipped = append(r.skipped, sk)
				skippedByFile[file] = append(skippedByFile[file], sk)
				continue
			}
			r.files[file] = append(r.files[file], f)
		}
	}
	for _, d := range carrierDefs {
		set := &carrierSet{def: d, url: d.url}
		if d.file != "" {
			formats, ok := r.files[d.file]
			if !ok {
				return nil, fmt.Errorf("carrier %s: no file couriers/%s", d.Code, d.file)
			}
			want := map[string]bool{}
			for _, id := range d.ids {
				want[id] = true
			}
			found := map[string]bool{}
			for _, f := range formats {
				if d.ids == nil || want[f.key] {
					set.formats = append(set.formats, f)
					found[f.key] = true
				}
			}
			for _, sk := range skippedByFile[d.file] {
				if d.ids == nil || want[sk.key] {
					set.skipped = append(set.skipped, sk)
					found[sk.key] = true
				}
			}
			for _, id := range d.ids {
				if !found[id] {
					return nil, fmt.Errorf("carrier %s: no entry %q in couriers/%s", d.Code, id, d.file)
				}
			}
			for _, f := range set.formats {
				if set.url == "" {
					set.url = f.url
				}
			}
		}
		r.carriers[d.Code] = set
	}
	return r, nil
}

// readCourierFile parses one embedded courier file.
func readCourierFile(file string) (courierFile, error) {
	var cf courierFile
	b, err := courierFS.ReadFile("couriers/" + file)
	if err != nil {
		return cf, err
	}
	if err := json.Unmarshal(b, &cf); err != nil {
		return cf, fmt.Errorf("couriers/%s: %w", file, err)
	}
	return cf, nil
}

// compileFormat compiles one entry; an error says why the entry must be skipped.
func compileFormat(file string, spec numberSpec) (*format, error) {
	f := &format{file: file, key: spec.key(), name: spec.Name, service: -1}
	if spec.TrackingURL != nil && strings.Contains(*spec.TrackingURL, "%s") {
		f.url = *spec.TrackingURL
	}
	if len(spec.Regex) == 0 {
		return nil, fmt.Errorf("no regex")
	}
	re, err := compileAnchored(strings.Join(spec.Regex, ""))
	if err != nil {
		return nil, err
	}
	f.re = re
	f.serialGroup, f.checkGroup = re.SubexpIndex("SerialNumber"), re.SubexpIndex("CheckDigit")

	v := spec.Validation
	if v.Checksum != nil {
		if f.serialGroup < 0 || f.checkGroup < 0 {
			return nil, fmt.Errorf("checksum %q without SerialNumber and CheckDigit groups", v.Checksum.Name)
		}
		if f.checksum, err = newChecksum(*v.Checksum); err != nil {
			return nil, err
		}
	}
	if v.SerialNumberFormat != nil && v.SerialNumberFormat.PrependIf != nil {
		p := v.SerialNumberFormat.PrependIf
		if f.prependIf, err = compileCondition(p.MatchesRegex); err != nil {
			return nil, fmt.Errorf("serial_number_format.prepend_if: %w", err)
		}
		f.prepend = p.Content
	}

	for _, a := range spec.Additional {
		l := lookup{name: a.Name, group: re.SubexpIndex(a.RegexGroupName)}
		if l.group < 0 {
			return nil, fmt.Errorf("additional %q: no group %q in the regex", a.Name, a.RegexGroupName)
		}
		for _, it := range a.Lookup {
			item := lookupItem{exact: it.Matches, name: it.Name, description: it.Description}
			if it.MatchesRegex != "" {
				if item.re, err = compileAnchored(it.MatchesRegex); err != nil {
					return nil, fmt.Errorf("additional %q: %w", a.Name, err)
				}
			}
			l.items = append(l.items, item)
		}
		if strings.EqualFold(a.Name, "Service Type") && f.service < 0 {
			f.service = len(f.lookups)
		}
		f.lookups = append(f.lookups, l)
	}
	if v.Additional != nil {
		for _, name := range v.Additional.Exists {
			i := f.lookupIndex(name)
			if i < 0 {
				return nil, fmt.Errorf("validation.additional.exists: no additional %q", name)
			}
			f.exists = append(f.exists, i)
		}
	}
	return f, nil
}

// lookupIndex is the index of the additional table called name, or -1.
func (f *format) lookupIndex(name string) int {
	for i, l := range f.lookups {
		if l.name == name {
			return i
		}
	}
	return -1
}

// formatResult is how a normalised number fared against one format.
type formatResult struct {
	matched bool   // the regex matched
	ok      bool   // and every check passed
	reason  string // why not, when matched && !ok
	service string
}

// check tests a normalised number against the format.
func (f *format) check(number string) formatResult {
	m := f.re.FindStringSubmatch(number)
	if m == nil {
		return formatResult{}
	}
	res := formatResult{matched: true}
	if f.checksum != nil {
		serial := m[f.serialGroup]
		if f.prependIf != nil && f.prependIf(serial) {
			serial = f.prepend + serial
		}
		if !f.checksum(serial, m[f.checkGroup]) {
			res.reason = "the check digit does not match"
			return res
		}
	}
	for _, i := range f.exists {
		l := f.lookups[i]
		if _, ok := l.find(m[l.group]); !ok {
			res.reason = fmt.Sprintf("the %s %s is not recognised", groupWords(f.re.SubexpNames()[l.group]), m[l.group])
			return res
		}
	}
	res.ok = true
	if f.service >= 0 {
		l := f.lookups[f.service]
		if it, ok := l.find(m[l.group]); ok {
			res.service = it.name // descriptions are explanations, too long for a label
		}
	}
	return res
}

// groupWords turns a group name into words: "CountryCode" is "country code".
func groupWords(name string) string {
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte(' ')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// compileAnchored compiles a pattern of the data's dialect so that it must
// match the whole string.
func compileAnchored(pattern string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(`^(?:` + goSyntax(pattern) + `)$`)
	if err != nil {
		return nil, describeRegexpError(err)
	}
	return re, nil
}

// describeRegexpError says plainly when a pattern uses look-around, which
// Go's regexp (RE2) does not support.
func describeRegexpError(err error) error {
	msg := err.Error()
	for _, op := range []string{"(?=", "(?!", "(?<=", "(?<!"} {
		if strings.Contains(msg, "`"+op) {
			return fmt.Errorf("uses look-around %s…), which Go's regexp does not support: %w", op, err)
		}
	}
	return err
}

// goSyntax rewrites named groups (?<Name>…) as Go's (?P<Name>…), leaving
// escapes, character classes and look-behind alone.
func goSyntax(p string) string {
	var b strings.Builder
	b.Grow(len(p) + 8)
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			b.WriteByte(c)
			i++
			b.WriteByte(p[i])
			continue
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
			// A ']' right after '[' or '[^' is a literal.
			b.WriteByte(c)
			if i+1 < len(p) && p[i+1] == '^' {
				i++
				b.WriteByte('^')
			}
			if i+1 < len(p) && p[i+1] == ']' {
				i++
				b.WriteByte(']')
			}
			continue
		case c == '(' && strings.HasPrefix(p[i:], "(?<") && i+3 < len(p) && p[i+3] != '=' && p[i+3] != '!':
			b.WriteString("(?P<")
			i += 2
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// compileCondition compiles a prepend_if pattern (unanchored, as the data
// means it). Go cannot run a negative look-ahead, but the data's one use of
// it has the shape ^(?!A)B, which is "B matches at the start and A does not",
// so that shape is rewritten into two Go regexps.
func compileCondition(pattern string) (func(string) bool, error) {
	p := goSyntax(pattern)
	re, err := regexp.Compile(p)
	if err == nil {
		return re.MatchString, nil
	}
	if !strings.HasPrefix(p, "^(?!") {
		return nil, describeRegexpError(err)
	}
	end := closingParen(p, 1)
	if end < 0 {
		return nil, describeRegexpError(err)
	}
	not, err1 := regexp.Compile(`^(?:` + p[len("^(?!"):end] + `)`)
	rest, err2 := regexp.Compile(`^(?:` + p[end+1:] + `)`)
	if err1 != nil || err2 != nil {
		return nil, describeRegexpError(err)
	}
	return func(s string) bool { return !not.MatchString(s) && rest.MatchString(s) }, nil
}

// closingParen is the index of the ')' closing the '(' at open, or -1.
func closingParen(p string, open int) int {
	depth, inClass := 0, false
	for i := open; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\':
			i++
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
