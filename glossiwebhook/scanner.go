package glossiwebhook

import (
	"bytes"
	"fmt"
)

// scanner walks the top level of one JSON object. It checks the object's
// own punctuation and finds where each value ends; it does not validate
// the values it skips.
type scanner struct {
	b   []byte
	pos int
}

func (s *scanner) invalid() error {
	return fmt.Errorf("%w: body is not valid JSON at byte %d", ErrInvalidPayload, s.pos)
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.b) {
		switch s.b[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

func (s *scanner) consume(c byte) bool {
	s.skipSpace()
	if s.pos < len(s.b) && s.b[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

func (s *scanner) startObject() bool { return s.consume('{') }

// firstMember reports whether the object has a member (false for "{}").
func (s *scanner) firstMember() bool {
	s.skipSpace()
	return s.pos < len(s.b) && s.b[s.pos] != '}'
}

// nextMember consumes a "," and reports whether a member follows.
func (s *scanner) nextMember() bool { return s.consume(',') }

// endObject consumes the closing "}" and checks nothing but whitespace
// follows.
func (s *scanner) endObject() bool {
	if !s.consume('}') {
		return false
	}
	s.skipSpace()
	return s.pos == len(s.b)
}

// key returns the raw key, quotes included, and consumes the ":" after it.
func (s *scanner) key() ([]byte, bool) {
	s.skipSpace()
	if s.pos >= len(s.b) || s.b[s.pos] != '"' {
		return nil, false
	}
	k, ok := s.str()
	return k, ok && s.consume(':')
}

// value returns the raw bytes of the next value.
func (s *scanner) value() ([]byte, bool) {
	s.skipSpace()
	if s.pos >= len(s.b) {
		return nil, false
	}
	switch s.b[s.pos] {
	case '"':
		return s.str()
	case '{', '[':
		return s.container()
	case ',', '}', ']', ':':
		return nil, false
	default:
		return s.literal()
	}
}

// str returns the string starting at pos, quotes included.
func (s *scanner) str() ([]byte, bool) {
	start := s.pos
	i := start + 1
	for {
		q := bytes.IndexByte(s.b[i:], '"')
		if q < 0 {
			return nil, false
		}
		i += q
		backslashes := 0
		for j := i - 1; j > start && s.b[j] == '\\'; j-- {
			backslashes++
		}
		i++
		if backslashes%2 == 0 {
			s.pos = i
			return s.b[start:i], true
		}
	}
}

// container returns the object or array starting at pos, matching its
// brackets outside strings.
func (s *scanner) container() ([]byte, bool) {
	start := s.pos
	depth := 0
	for s.pos < len(s.b) {
		switch s.b[s.pos] {
		case '"':
			if _, ok := s.str(); !ok {
				return nil, false
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				s.pos++
				return s.b[start:s.pos], true
			}
		}
		s.pos++
	}
	return nil, false
}

// literal returns a number, true, false or null.
func (s *scanner) literal() ([]byte, bool) {
	start := s.pos
	for s.pos < len(s.b) {
		switch s.b[s.pos] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return s.b[start:s.pos], true
		}
		s.pos++
	}
	return s.b[start:s.pos], true
}
