package rules

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"sync"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Builtin returns freshly parsed copies of the built-in rule sets: the EU
// baseline and the sets of the countries in rules/builtin (one file each).
// Hosts may add their own sets before compiling, and may change the copies
// they get: the files are parsed once per process, and each call returns
// a deep copy.
func Builtin() ([]*Set, error) {
	sets, err := parsedBuiltin()
	if err != nil {
		return nil, err
	}
	out := make([]*Set, len(sets))
	for i, s := range sets {
		out[i] = s.clone()
	}
	return out, nil
}

// parsedBuiltin parses the embedded files once. Its sets are never handed
// out, only copies of them.
var parsedBuiltin = sync.OnceValues(func() ([]*Set, error) {
	names, err := fs.Glob(builtinFS, "builtin/*.yaml")
	if err != nil {
		return nil, err
	}
	var out []*Set
	for _, n := range names {
		data, err := builtinFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		s, err := Parse(path.Join("rules", n), data)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
})

// clone returns a deep copy of s: every slice a caller can change is its
// own. The positions Parse recorded are shared; they are never written
// after Parse.
func (s *Set) clone() *Set {
	c := *s
	c.Channels = slices.Clone(s.Channels)
	c.Obligations = slices.Clone(s.Obligations)
	c.Parameters.Windows = slices.Clone(s.Parameters.Windows)
	for i := range c.Parameters.Windows {
		w := &c.Parameters.Windows[i]
		w.Days, w.Hours = slices.Clone(w.Days), slices.Clone(w.Hours)
	}
	c.Parameters.Registries = slices.Clone(s.Parameters.Registries)
	c.Parameters.PrimaryPurposeChannels = slices.Clone(s.Parameters.PrimaryPurposeChannels)
	c.Parameters.AreaCodes = slices.Clone(s.Parameters.AreaCodes)
	c.Reach.Senders, c.Reach.Channels = slices.Clone(s.Reach.Senders), slices.Clone(s.Reach.Channels)
	c.Rules = slices.Clone(s.Rules)
	for i := range c.Rules {
		r := &c.Rules[i]
		r.Channels, r.Obligations = slices.Clone(r.Channels), slices.Clone(r.Obligations)
	}
	return &c
}
