package canon

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
	"unsafe"
)

// FuzzEntityKey checks the laws of entity keys: the key of a key is the
// key; SameEntity agrees with key equality; the ASCII fast path agrees with
// the Unicode path (before the designations of legal forms are made one);
// the cheap emptiness check agrees with the key; and the comparisons agree
// with comparing keys.
func FuzzEntityKey(f *testing.F) {
	for _, s := range [][2]string{
		{"ACME S.A.S.", "Acme SAS"}, {"Acme\u00a0SAS", "acme sas"}, {"Ac\u200bme\ufeffSAS", "ＡＣＭＥ ＳＡＳ"},
		{"Socie\u0301te\u0301 Exemple", "Société Exemple"}, {"STRASSE", "Straße"}, {"Acme SA", "Acme SAS"},
		{"e\u200b\u0301", "é"}, {"⑴ ℀ ¨", "ǅ ﬁ ẞ"}, {"\xff\xfe", "..."}, {"", " "}, {"K\u212a", "kk"},
		{"\u0345\u0399", "ιι"}, {"Société Générale d'Exemple", "SOCIÉTÉ GÉNÉRALE"}, {"ÀÉÎÕÜ ÇÑ Ø Þ ×÷ ÿ", "àéîõü çñ ø þ ×÷ Ÿ"},
		{"Stra\u00dfe\u00a0\u00adGmbH", "STRASSE GMBH"}, {"ﷺ", "صلى الله عليه وسلم"},
		{"Example Ltd.", "EXAMPLE LIMITED"}, {"Sampla Teo", "Sampla Teoranta"}, {"Ex plc", "Ex Public Limited Company"}, {"Limited", " Ltd"}, {"Example Limited", "Example Ltd"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ka, kb := EntityKey(a), EntityKey(b)
		if k := EntityKey(ka); k != ka {
			t.Errorf("EntityKey(EntityKey(%q)) = %q, want %q", a, k, ka)
		}
		if !utf8.ValidString(ka) {
			t.Errorf("EntityKey(%q) = %q: invalid UTF-8", a, ka)
		}
		if got, want := SameEntity(a, b), ka == kb; got != want {
			t.Errorf("SameEntity(%q, %q) = %v, keys %q and %q", a, b, got, ka, kb)
		}
		if got := KeyMatchesName(ka, b); got != (ka == kb) {
			t.Errorf("KeyMatchesName(%q, %q) = %v, keys %q and %q", ka, b, got, ka, kb)
		}
		if got := HasEntityKey(a); got != (ka != "") {
			t.Errorf("HasEntityKey(%q) = %v, key %q", a, got, ka)
		}
		if fast, ok := appendLatinKey(nil, a); ok {
			kb := getKeyBuilder()
			if slow := string(kb.key(a)); slow != string(fast) || string(designate([]byte(slow), 0, a)) != ka {
				t.Errorf("fast key of %q = %q, Unicode path %q", a, fast, slow)
			}
			keyBuilders.Put(kb)
		}
		var m Matcher
		m.Reset(a, nil)
		if got := m.Match(b); got != (ka == kb && ka != "") {
			t.Errorf("Matcher(%q).Match(%q) = %v, keys %q and %q", a, b, got, ka, kb)
		}
	})
}

// TestFastKeysAgree: strings drawn from ASCII, Latin-1 and the runeKeys
// range key alike on the fast path and the Unicode path, and the fast path
// covers the usual European letters.
func TestFastKeysAgree(t *testing.T) {
	n := 50_000
	if testing.Short() {
		n = 5_000
	}
	r := rand.New(rand.NewPCG(2026, 12))
	kb := getKeyBuilder()
	defer keyBuilders.Put(kb)
	fast := 0
	for range n {
		var b []rune
		for range 1 + r.IntN(6) {
			switch r.IntN(4) {
			case 0:
				b = append(b, rune(0x20+r.IntN(0x5f)))
			case 1:
				b = append(b, rune(0x80+r.IntN(0x80)))
			default:
				b = append(b, rune(0x100+r.IntN(runeKeysEnd-0x100)))
			}
		}
		s := string(b)
		k, ok := appendLatinKey(nil, s)
		if !ok {
			continue
		}
		fast++
		if slow := string(kb.key(s)); slow != string(k) {
			t.Fatalf("key of %q (%U): fast %q, Unicode path %q", s, b, k, slow)
		}
	}
	if fast < n/4 {
		t.Errorf("only %d of %d strings took the fast path", fast, n)
	}
	for _, name := range []string{"Łódź Przemysł sp. z o.o.", "Škoda Exemple a.s.", "Ελληνική Εταιρεία ΑΕ", "ООО Пример", "Şirket Örnek", "Ørsted Exempel ApS"} {
		if _, ok := appendLatinKey(nil, name); !ok {
			t.Errorf("%q does not take the fast path", name)
		}
	}
}

// TestMatcherResetKeepsOnlyTheSameSender: Reset with the last sender and
// aliases keeps the key; another sender, other aliases, or the same
// string's memory rewritten with another name (a decoder lending its
// storage) computes the key again.
func TestMatcherResetKeepsOnlyTheSameSender(t *testing.T) {
	var a Aliases
	a.Add(EntityKey("Exemple Services SAS"), 0)
	a.Add(EntityKey("Exemple Boutique SARL"), 0)
	buf := []byte("Exemple Services SAS")
	lent := unsafe.String(unsafe.SliceData(buf), len(buf))
	var m Matcher
	steps := []struct {
		name    string
		reset   func()
		match   string
		matches bool
	}{
		{"first sender", func() { m.Reset(lent, nil) }, "EXEMPLE SERVICES S.A.S.", true},
		{"same sender again", func() { m.Reset("Exemple Services SAS", nil) }, "Exemple Services SAS", true},
		{"same sender, aliases now", func() { m.Reset(lent, &a) }, "Exemple Boutique SARL", true},
		{"same sender, no aliases again", func() { m.Reset(lent, nil) }, "Exemple Boutique SARL", false},
		{"memory rewritten", func() { copy(buf, "Autre Entreprise SAS"); m.Reset(lent, nil) }, "Autre Entreprise SAS", true},
		{"the old name no longer matches", func() { m.Reset(lent, nil) }, "Exemple Services SAS", false},
		{"another sender", func() { m.Reset("Tierce Partie SA", nil) }, "tierce partie sa", true},
	}
	for _, s := range steps {
		s.reset()
		if got := m.Match(s.match); got != s.matches {
			t.Errorf("%s: Match(%q) = %v, want %v", s.name, s.match, got, s.matches)
		}
	}
}

// TestDesignations: the interchangeable spellings of a legal form's
// designation give one key when they end the name as words of their own;
// other legal forms, and a designation glued to the name, stay distinct.
func TestDesignations(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		same bool
	}{
		{"Example Ltd", "Example Limited", true},
		{"Example Ltd.", "EXAMPLE LIMITED", true},
		{"Example Group PLC", "Example Group public limited company", true},
		{"Example Group p.l.c.", "Example Group Public Limited Company", true},
		{"Sampla Teo.", "Sampla Teoranta", true},
		{"Sampla Teoranta", "Sampla Ltd", false},
		{"Example Partners LLP", "Example Partners Limited Liability Partnership", true},
		{"Enghraifft Cyf", "Enghraifft Cyfyngedig", true},
		{"Sampla DAC", "Sampla Designated Activity Company", true},
		{"Sampla CLG", "Sampla Company Limited by Guarantee", true},
		{"Sampla UC", "Sampla Unlimited Company", true},
		{"Example Ltd", "Example DAC", false},
		{"Example Ltd", "Example PLC", false},
		{"Example Unlimited", "Example Ltd", false},
		{"Examplelimited", "Example Ltd", false},
		{"Limited", "Ltd", false},
		{"Société Exemple Limited", "Société Exemple Ltd", true},
		{"Example Ltd", "Example", false},
	} {
		if got := SameEntity(tt.a, tt.b); got != tt.same {
			t.Errorf("SameEntity(%q, %q) = %v, want %v (keys %q, %q)", tt.a, tt.b, got, tt.same, EntityKey(tt.a), EntityKey(tt.b))
		}
		if got := SameEntity(tt.b, tt.a); got != tt.same {
			t.Errorf("SameEntity(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.same)
		}
	}
}
