package address

// Slow paths, for tests comparing them with the fast ones.
var (
	PlainEmail     = plainEmail
	ParseEmailSlow = parseEmail
)
