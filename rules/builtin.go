package rules

import (
	"embed"
	"io/fs"
	"path"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Builtin returns freshly parsed copies of the built-in rule sets: the EU
// baseline and the sets for Belgium (BE), France (FR) and the United Kingdom
// (GB). Hosts may add their own sets before compiling.
func Builtin() ([]*Set, error) {
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
}
