package consent

// SMSSender is how an SMS names its sender when it shows an alphanumeric
// sender ID (an alias such as "TIENDAEJ") instead of a number, and whether
// the host confirmed that alias registered where the recipient's country
// requires it. In Spain, operators must block SMS whose alias is not in the
// CNMC's Alias Register (Orden TDF/149/2025 art. 8; CNMC Circular 1/2026);
// a rule set reads it with unregisteredSenderAlias().
//
// The zero SMSSender means the SMS is sent from a number (or the message is
// not an SMS). Its JSON form is {"alias": "TIENDAEJ", "registered": true}.
type SMSSender struct {
	// Alias is the alphanumeric sender ID: 1 to 11 characters among ASCII
	// letters, digits, space, '-', '.', '&' and '_', with at least one
	// letter (an all-digit sender is a number, not an alias). Empty when
	// the SMS is sent from a number.
	Alias string `json:"alias,omitempty"`
	// Registered is the host's statement that it confirmed the alias in
	// the alias register of the recipient's country for this sender. The
	// library never infers it; false means unregistered.
	Registered bool `json:"registered,omitempty"`
}

// maxAliasLen is the longest alphanumeric sender ID the SMS format carries
// (3GPP TS 23.040: 11 characters of the GSM 7-bit alphabet).
const maxAliasLen = 11

// check verifies the sender ID of a message on channel ch.
func (s *SMSSender) check(ch Channel) error {
	switch {
	case *s == SMSSender{}:
		return nil
	case ch != SMS:
		return invalid("message.sms_sender", "a sender ID on a message that is not an SMS")
	case s.Alias == "":
		return missing("message.sms_sender.alias")
	case !validAlias(s.Alias):
		return invalid("message.sms_sender.alias", "not an alphanumeric sender ID (1 to 11 letters, digits, space, - . & _, at least one letter)")
	}
	return nil
}

// validAlias reports whether a is an alphanumeric sender ID.
func validAlias(a string) bool {
	if len(a) > maxAliasLen {
		return false
	}
	letter := false
	for i := 0; i < len(a); i++ {
		switch c := a[i]; {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
			letter = true
		case c >= '0' && c <= '9', c == ' ', c == '-', c == '.', c == '&', c == '_':
		default:
			return false
		}
	}
	return letter
}
