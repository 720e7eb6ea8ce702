package pythonlock

import (
	"fmt"
	"strconv"
	"strings"
)

// Env is the environment markers are evaluated in (PEP 508), the Lambda
// runtime the dependencies are for.
type Env struct {
	// PythonVersion is the runtime's version, like "3.12".
	PythonVersion string
	// Machine is platform_machine: x86_64 or aarch64.
	Machine string
}

// values are the marker variables of env; extra is set per evaluation.
func (e Env) values(extra string) map[string]string {
	full := e.PythonVersion + ".0"
	return map[string]string{
		"python_version": e.PythonVersion, "python_full_version": full,
		"implementation_version": full, "implementation_name": "cpython",
		"platform_python_implementation": "CPython", "os_name": "posix",
		"sys_platform": "linux", "platform_system": "Linux",
		"platform_machine": e.Machine, "platform_release": "", "platform_version": "",
		"extra": extra,
	}
}

// Match evaluates a PEP 508 marker, with extra as the extra being
// installed ("" for none). An empty marker matches.
func (e Env) Match(marker, extra string) (bool, error) {
	if strings.TrimSpace(marker) == "" {
		return true, nil
	}
	p := &markerParser{toks: tokenize(marker), vals: e.values(extra)}
	v, err := p.or()
	if err == nil && p.pos < len(p.toks) {
		err = fmt.Errorf("unexpected %q", p.toks[p.pos])
	}
	if err != nil {
		return false, fmt.Errorf("reading marker %q: %w", marker, err)
	}
	return v, nil
}

// tokenize splits a marker into quoted strings, parentheses, operators and
// words.
func tokenize(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')':
			toks = append(toks, string(c))
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return append(toks, s[i:])
			}
			toks = append(toks, s[i:i+j+2])
			i += j + 2
		case strings.ContainsRune("<>=!~", rune(c)):
			j := i
			for j < len(s) && strings.ContainsRune("<>=!~", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t()<>=!~\"'", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks
}

type markerParser struct {
	toks []string
	pos  int
	vals map[string]string
}

func (p *markerParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *markerParser) next() string {
	t := p.peek()
	p.pos++
	return t
}

func (p *markerParser) or() (bool, error) {
	v, err := p.and()
	for err == nil && p.peek() == "or" {
		p.next()
		var r bool
		r, err = p.and()
		v = v || r
	}
	return v, err
}

func (p *markerParser) and() (bool, error) {
	v, err := p.expr()
	for err == nil && p.peek() == "and" {
		p.next()
		var r bool
		r, err = p.expr()
		v = v && r
	}
	return v, err
}

func (p *markerParser) expr() (bool, error) {
	if p.peek() == "(" {
		p.next()
		v, err := p.or()
		if err != nil {
			return false, err
		}
		if p.next() != ")" {
			return false, fmt.Errorf("missing )")
		}
		return v, nil
	}
	left, err := p.value()
	if err != nil {
		return false, err
	}
	op := p.next()
	if op == "not" {
		if p.next() != "in" {
			return false, fmt.Errorf("want \"not in\"")
		}
		op = "not in"
	}
	right, err := p.value()
	if err != nil {
		return false, err
	}
	return compare(left, op, right)
}

// value is a quoted string or a marker variable's value.
func (p *markerParser) value() (string, error) {
	t := p.next()
	if len(t) >= 2 && (t[0] == '"' || t[0] == '\'') && t[len(t)-1] == t[0] {
		return t[1 : len(t)-1], nil
	}
	v, ok := p.vals[t]
	if !ok {
		return "", fmt.Errorf("unknown marker variable %q", t)
	}
	return v, nil
}

func compare(l, op, r string) (bool, error) {
	switch op {
	case "in":
		return strings.Contains(r, l), nil
	case "not in":
		return !strings.Contains(r, l), nil
	case "===":
		return l == r, nil
	}
	lv, lok := parseVersion(l)
	rv, rok := parseVersion(r)
	if !lok || !rok {
		switch op {
		case "==":
			return l == r, nil
		case "!=":
			return l != r, nil
		}
		return false, fmt.Errorf("%q %s %q compares strings that are not versions", l, op, r)
	}
	c := compareVersions(lv, rv)
	switch op {
	case "==":
		return c == 0 || prefixMatch(lv, rv, r), nil
	case "!=":
		return c != 0 && !prefixMatch(lv, rv, r), nil
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	case ">=":
		return c >= 0, nil
	case "~=":
		// ~=3.8 is >=3.8, ==3.*
		if len(rv) < 2 {
			return false, fmt.Errorf("~=%s needs two version parts", r)
		}
		return c >= 0 && compareVersions(lv[:min(len(lv), len(rv)-1)], rv[:len(rv)-1]) == 0, nil
	}
	return false, fmt.Errorf("unknown operator %q", op)
}

// prefixMatch is PEP 440's == with a trailing .*, like == "3.*".
func prefixMatch(l, r []int, text string) bool {
	if !strings.HasSuffix(text, ".*") {
		return false
	}
	return len(l) >= len(r) && compareVersions(l[:len(r)], r) == 0
}

// parseVersion reads the release part of a PEP 440 version, like 3.12.1;
// a trailing .* is allowed and dropped.
func parseVersion(s string) ([]int, bool) {
	s = strings.TrimSuffix(s, ".*")
	if s == "" {
		return nil, false
	}
	var out []int
	for _, part := range strings.Split(s, ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

func compareVersions(a, b []int) int {
	for i := range max(len(a), len(b)) {
		var x, y int
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
