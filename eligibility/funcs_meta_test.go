package eligibility

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/rules"
)

// pinnedFunctions is every function of the rule language with the level
// that introduced it and its signature. A stored rule file must keep
// compiling after an upgrade, so an entry is never removed, renamed or
// changed: a function's meaning may be corrected (SemanticsVersion says
// so), its name and signature stay. A function added after a release is
// appended with the next level, to which rules.LanguageLevel is raised
// (functions added between two releases share it).
var pinnedFunctions = []string{
	"1 hasConsent(purpose, channel) bool",
	"1 objected(purpose, channel) bool",
	"1 withdrawn(purpose, channel) bool",
	"1 consentDefect(purpose, channel) consent defect",
	"1 consentOnOtherChannel(purpose) bool",
	"1 similarPurchase() bool",
	"1 similarPurchaseNoOptOut() bool",
	"1 similarInquiry() bool",
	"1 isCustomer() bool",
	"1 purchasedWithin(duration) bool",
	"1 supportedCharity(timestamp) bool",
	"1 optOutOfferedAtCollection() bool",
	"1 ongoingContract() bool",
	"2 similarInquiryNoOptOut() bool",
	"2 inCategory(category) bool",
	"3 localHour() int",
	"3 localWeekday() weekday",
	"4 consentMethod(purpose, channel) consent method",
	"4 consentDocumented(purpose, channel) bool",
	"4 similarPurchaseWithin(duration) bool",
	"4 supportedWithin(duration) bool",
	"4 publishedForMarketing() bool",
	"4 inWindow(window) bool",
	"4 holiday() bool",
	"4 callAttempts(days) int",
	"4 refusedWithin(days) bool",
	"4 registry(registry) registry status",
	"4 consentAfterListing(registry) bool",
	"4 contractWithin(days) bool",
	"4 consentInContract(days) bool",
	"4 presumedConsent() bool",
	"4 unregisteredSenderAlias() bool",
	"4 pushPermitted() bool",
	"4 prospectActiveWithin(duration) bool",
	"4 customerActiveWithin(duration) bool",
	"5 sent(purpose, channel, days) int",
	"5 ageUnder(years) bool",
	"5 stopBusinessDays(purpose, channel) int",
	"5 inquiredWithin(duration) bool",
	"5 mobileMailDomain() bool",
	"5 callsWithin(duration) int",
	"5 sentWithin(purpose, channel, duration) int",
	"5 writtenConsentMissing(purpose, channel) written consent term",
	"6 indirectConsent(purpose, channel) bool",
	"6 partnerInformed(purpose, channel) bool",
	"6 indirectConsentAged(purpose, channel) bool",
	"6 art14NoticeLate(purpose, channel) bool",
	"6 similarPurchaseElsewhere() bool",
	"6 fixedLine() bool",
	"6 consentCurrent(purpose, channel, duration) bool",
	"6 revokedOn(purpose, channel, channel) bool",
}

// Every function of the language keeps the level that introduced it and
// its signature; the library's level is the highest.
func TestFunctionLevelsArePinned(t *testing.T) {
	var got []string
	top := 0
	for i := range domainFuncs {
		f := &domainFuncs[i]
		got = append(got, fmt.Sprintf("%d %s", f.since, f.signature()))
		top = max(top, f.since)
	}
	want := slices.Sorted(slices.Values(pinnedFunctions))
	slices.Sort(got)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("functions (-pinned +now): a function was removed, renamed, changed its signature or level, or was added without pinning\n%s", diff)
	}
	if top != rules.LanguageLevel {
		t.Errorf("the newest function's level is %d, rules.LanguageLevel %d", top, rules.LanguageLevel)
	}
}

// Every domain function declares a level and its worst-case work, and
// funcMeta names no other function.
func TestFunctionMetaIsComplete(t *testing.T) {
	for i := range domainFuncs {
		f := &domainFuncs[i]
		if f.since < 1 || f.since > rules.LanguageLevel {
			t.Errorf("%s: level %d, want 1 to %d", f.name, f.since, rules.LanguageLevel)
		}
		if f.work.units() <= 0 {
			t.Errorf("%s: declares no work", f.name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(funcMeta)) {
		if funcByName[name] == nil {
			t.Errorf("funcMeta names %s, not a function of the table", name)
		}
	}
}

// work states a function's worst case in terms of the limits.
func TestWorkString(t *testing.T) {
	for _, tc := range []struct {
		w    work
		want string
	}{
		{constantWork, "1"},
		{ledgerWork, "1 × records + 1"},
		{work{lookups: 1, records: 1, fixed: 1}, "1 × records + 1 × lookups + 1"},
		{work{events: 4}, "4 × events"},
	} {
		if got := tc.w.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.w, got, tc.want)
		}
	}
}
