// Package rules holds the law as data: rule sets written in YAML with CEL
// conditions and citations ([Set], [Rule]), read by [Parse] with the
// position of every rule and of every character of its condition
// ([Rule.Position], [Rule.ConditionPosition]), checked as data, without
// compiling a condition ([Check], [Rule.Check]), and the built-in sets of
// the module ([Builtin]) with their legal guide, builtin/LAW.md. It decides
// nothing: package eligibility compiles sets into an immutable, versioned
// eligibility.Policy (eligibility.Compile, which runs Check and reports
// every problem as an [ErrorList] of positioned [*Error]s) and decides with
// it. This documentation is the rule language both packages implement.
//
// # Rule language
//
// A rule set ([Set]) is one jurisdiction's rules: an ISO 3166-1 code (or EU
// for the baseline other sets extend, or an ISO 3166-2 subdivision code,
// US-FL, for a subdivision's set, which extends its country's set and may
// list the area codes presuming its residents, parameters.area_codes), the
// channels it covers, parameters, obligations and, optionally, its
// sender-side reach ([Reach]: the senders' countries whose messages it
// governs wherever the recipient is). A rule ([Rule]) has an id, an effect, a basis, a reason
// code, a citation, the channels it governs and a condition: a boolean CEL
// expression over these variables
//
//	contact.kind            recipient kind: consumer, business_named, business_generic, sole_trader
//	contact.country         ISO 3166-1 alpha-2 code
//	request.purpose         message purpose: transactional, marketing_similar, ...
//	request.channel         message channel: email, sms, voice_live, voice_automated, push, post
//	request.category        canonical category key (see Categories)
//	request.role_relevant   bool
//	request.sender.entity   the sending legal person
//	request.sender.kind     sender kind: company, charity, charity_lottery, periodical_publisher
//	request.sender.country  ISO 3166-1 alpha-2 code
//	now                     timestamp: the message instant
//
// and the domain functions below. The language is the subset of CEL the
// compiler turns into Go closures: &&, ||, !, the conditional operator,
// == and != between values of one type, ordering of numbers, strings,
// timestamps and durations, membership in a list of constants,
// timestamp('…') and duration('…') of constants, the variables and the
// function calls. Anything else — arithmetic, string concatenation, size(),
// matches() and other member calls, has(), maps, macros — is a compile error
// with its file, rule, line and column, never a slower path at run time, so
// a condition that compiles cannot fail when a message is decided.
//
// # Channels
//
// Every rule names the channels it governs: channels: [email, sms], each a
// channel of its set (its own list, or its base's when it lists none), or
// channels: [all] for a rule meant for every channel of the jurisdiction it
// is applied in (stops, transactional exemptions, sector bans). A rule
// without channels, or naming a channel outside its set's, is an error of
// [Check]. A rule is compiled only into the channels it names, so adding a
// channel to a set never silently applies rules written for another
// medium: a channel no rule names allows nothing (NO_LEGAL_BASIS), and one
// the set does not list is denied NO_RULES_FOR_CHANNEL.
//
// # Self-regulation
//
// A rule resting on self-regulation (an industry code or charter, such as
// the French operators' charter on promotional SMS) rather than on law is
// marked self_regulatory: true, and its citation says it is
// self-regulation. A decision it makes, and its step in a trace, carry the
// mark; it decides like any other rule.
//
// # Vocabularies
//
// Enumerated variables and arguments have a vocabulary: a string constant
// compared with request.purpose, passed as a purpose or channel, or compared
// with consentDefect(…) or localWeekday() must be one of its values, and an
// enumerated value of one vocabulary passed where another is expected
// (hasConsent(request.channel, request.purpose)) or a free string passed as
// a purpose or channel (hasConsent(request.category, …)) fails compilation:
// a misspelt value is an error, not a rule that never matches or always
// denies.
//
// # Tiers
//
// Rules are walked by effect, in this order: exempt (transactional
// messages only), deny (the first match denies), then the engine's stops,
// defer (the first match says "not now": see below), allow (of the rules
// that match, the strongest basis wins; see
// [Basis.Rank]), and no_basis (the first match names why nothing allowed;
// the default is deny with NO_LEGAL_BASIS). eligibility.Policy.Decide
// documents the walk step by step. Obligations (a set's and a rule's) go
// with allow outcomes only: an exempt message is transactional, outside
// the marketing law that imposes them (ePrivacy Directive art. 13 governs
// direct marketing), and a deny sends nothing, so an exempt, deny or
// no_basis rule giving obligations is an error at the rule. An obligation
// is a built-in one ([BuiltinObligations]) or one the host declares with
// eligibility.Params.Obligations (a List-Unsubscribe header, say); Parse
// accepts any well-formed name and the compilation refuses one that is
// neither.
//
// A defer rule has no basis, a reason and a citation; it says "not now"
// (a call window, a public holiday, a cap, a cool-off). When one matches
// and the message would otherwise be allowed, the engine looks for the
// earliest later instant at which no defer rule matches and the message is
// allowed, through the instants at which anything the rules read may
// change (window edges, local midnights, validity dates, the contact's
// records and events), and the decision is defer with that instant
// (NotBefore). If the message would not be allowed anyway, that decision
// stands: waiting would not help. If waiting crosses into an instant where
// a deny or no_basis rule decides, or finds no such instant within 366
// days, the decision is a deny.
//
// # Validity
//
// A rule may carry valid_from and valid_until (RFC 3339; until is
// exclusive). Outside that interval at the message instant it is skipped,
// as if it were absent; a trace reports it as inactive. Dated rules let a
// policy hold a law before and after it comes into force.
//
// # Windows
//
// A set's parameters may name windows of local time ([Window]): days of
// the week, hours ("10:00-13:00"), and whether public holidays close them.
// inWindow('name') is true when the recipient's local time, in the
// contact's time zone, is inside; holiday() when the local date is a
// public holiday of the contact's country or region. Rules usually test
// them in defer rules: "not now, but then".
//
// # Registries and the host's other inputs
//
// A set's parameters may declare the do-not-call registries that apply
// ([RegistryParams]: name, effective_after_days, max_age_days); a set
// extending it inherits them and may redeclare one by name.
// registry('tps') is 'listed', 'clear' or 'unchecked' for the contact's
// number, from the host's lookups (consent.Contact.Registries); its name
// must be declared by the rule's set or the sets it extends, or the rule
// does not compile. Write rules so that 'unchecked' denies with its own
// reason. callAttempts(days) and refusedWithin(days) read the host's log
// of attempts (consent.Contact.Attempts); sent(purpose, channel, days)
// the host's log of messages sent (consent.Contact.Sent), for house rules
// such as "at most one marketing e-mail a day", written as a defer rule
// (sent('all_marketing', 'email', 1) >= 1) that holds the message back
// to the recipient's next local midnight; pushPermitted() the operating
// system's notification permission; prospectActiveWithin(duration) and
// customerActiveWithin(duration) the contact's collection instant, the
// person's responses and the relationship, for time-bounded prospection
// (the CNIL's three years in France).
//
// # Functions
//
// Each domain function is declared once, in a table from which the CEL
// declarations, the compiled closures, the vocabulary checks and this list
// are made (a test checks this list and the README's against it):
//
//   - hasConsent(purpose, channel) bool: a grant that counts is in force for
//     the purpose (with coverage), the channel and the sender entity, for
//     the address messaged.
//   - objected(purpose, channel) bool: an objection covering the purpose and
//     channel is in force, or marketing was refused at collection.
//   - withdrawn(purpose, channel) bool: a withdrawal covering the purpose
//     and channel is in force.
//   - stopBusinessDays(purpose, channel) int: the number of business days
//     (Monday to Friday, less the public holidays of the recipient's holiday
//     table) from the earliest withdrawal or objection in force for the
//     purpose and channel (as withdrawn and objected match them) to the
//     instant evaluated, on local dates in the recipient's time zone (the
//     dates after the stop's, up to and including the instant's); -1 when
//     none is in force.
//   - consentDefect(purpose, channel) consent defect: why the grant on file
//     does not count: 'pre_ticked', 'method_unknown', 'unproven',
//     'unconfirmed', 'minor', or the empty string when none.
//   - consentMethod(purpose, channel) consent method: how the grant that
//     counts (as hasConsent) was captured: 'unticked_checkbox',
//     'double_opt_in', 'signed_form', 'recorded_verbal' or 'imported'; the
//     empty string when none counts.
//   - consentDocumented(purpose, channel) bool: the grant that counts (as
//     hasConsent) records where it was captured (source), the wording shown
//     (wording_version) and its stored proof (proof_ref).
//   - consentOnOtherChannel(purpose) bool: a grant that counts exists for
//     the purpose on another channel only.
//   - similarPurchase() bool: a purchase from the sender entity, in the
//     message's category or a similarity group with it, where the address or
//     number messaged was collected with an opt-out offered.
//   - similarPurchaseNoOptOut() bool: as similarPurchase, but no opt-out was
//     offered at collection.
//   - similarInquiry() bool: as similarPurchase, for an inquiry or quote (UK
//     negotiations).
//   - similarInquiryNoOptOut() bool: as similarInquiry, but no opt-out was
//     offered at collection.
//   - isCustomer() bool: any purchase from the sender entity.
//   - purchasedWithin(duration) bool: a purchase from the sender entity
//     within the duration before the message.
//   - similarPurchaseWithin(duration) bool: as similarPurchase, the purchase
//     within the duration before the message (a soft opt-in bounded in
//     time).
//   - supportedCharity(timestamp) bool: support or interest expressed to the
//     sending charity since the instant, the address or number collected
//     then, opt-out offered.
//   - supportedWithin(duration) bool: as supportedCharity, for support
//     expressed within the duration before the message.
//   - optOutOfferedAtCollection() bool: the contact was informed and offered
//     an objection when the address was collected.
//   - publishedForMarketing() bool: the address or number messaged is one
//     the contact's organisation published itself for receiving marketing
//     (contact published_for_marketing; Dutch legal persons).
//   - inCategory(category) bool: the message's category is this one or in a
//     similarity group with it (sector bans); a constant must be a sector
//     category or a similarity-group member.
//   - ongoingContract() bool: a contract with the sender entity is in force
//     for the message's category or one in a similarity group with it.
//   - localHour() int: the hour (0 to 23) of the message instant in the
//     recipient's time zone.
//   - localWeekday() weekday: the day of the week of the message instant in
//     the recipient's time zone: 'monday' … 'sunday'.
//   - inWindow(window) bool: the message instant is inside the named window
//     of the set's parameters, in the recipient's time zone (a constant
//     naming a window of the rule's set or its bases).
//   - holiday() bool: the message instant's date, in the recipient's time
//     zone, is a public holiday where the recipient is (country, or region
//     when given).
//   - callAttempts(days) int: the number of calls (voice_live or
//     voice_automated attempts) by the sender entity, up to the instant
//     evaluated, in the period of days calendar days ending with its date in
//     the recipient's time zone (today and the days-1 dates before it; a
//     call leaves at a local midnight, whatever its hour); days is a
//     constant from 1 to 3660.
//   - refusedWithin(days) bool: a call by the sender entity, up to the
//     instant evaluated, during which the person refused (attempt outcome
//     'refused'), whose date is less than days calendar days before today in
//     the recipient's time zone: it holds until the end of the days-th date
//     after the refusal's (the refusal's own date not counted).
//   - sent(purpose, channel, days) int: the number of messages sent by the
//     sender entity (contact sent) for the purpose ('all_marketing': any
//     marketing purpose) on the channel ('all': any), up to the instant
//     evaluated, in the period of days calendar days ending with its date in
//     the recipient's time zone, counted as callAttempts counts calls; days
//     is a constant from 1 to 3660.
//   - ageUnder(years) bool: the recipient's age in whole years on the local
//     date of the instant evaluated, from the contact's birth date, is below
//     years (a constant from 1 to 150); false when the birth date is
//     unknown, which the contact's documentation treats as an adult's.
//   - registry(registry) registry status: the contact's number (in a
//     registry listing them, the e-mail or postal address messaged) in the
//     registry, by the latest lookup no older than its max_age_days:
//     'listed' (registration in effect after effective_after_days), 'clear',
//     or 'unchecked' (no lookup that counts); the name must be declared by
//     the set's parameters.registries or those of the sets it extends.
//   - consentAfterListing(registry) bool: the contact's number is listed in
//     the registry (registry(name) is 'listed') and a grant that counts for
//     the message's purpose and channel (as hasConsent) was given after the
//     registration; false when the registration date is unknown.
//   - contractWithin(days) bool: a contract with the sender entity, of any
//     category, is in force, or ended no more than days (24-hour periods)
//     before the instant evaluated; days is a constant from 1 to 3660.
//   - consentInContract(days) bool: a grant that counts for the message's
//     purpose and channel (as hasConsent) was given while a contract with
//     the sender entity was in force, and that contract is in force or ended
//     no more than days (24-hour periods) before the instant evaluated; days
//     is a constant from 1 to 3660.
//   - presumedConsent() bool: the host states that the recipient may be
//     presumed to consent to the live call (message presumed_consent); never
//     for a consumer.
//   - unregisteredSenderAlias() bool: the message is an SMS sent under an
//     alphanumeric sender ID (message.sms_sender.alias) that the host did
//     not confirm registered in the alias register of the recipient's
//     country.
//   - mobileMailDomain() bool: the contact's e-mail address is at one of the
//     host's mobile mail domains (Params.MobileMailDomains, e.g. the FCC's
//     list of wireless domain names) or a subdomain of one; false without a
//     list.
//   - fixedLine() bool: the contact's phone number is a geographic fixed
//     line by its numbering plan (known for Irish numbers: +353 and a
//     geographic area code; mobiles and non-geographic numbers are not);
//     false when the plan does not tell.
//   - pushPermitted() bool: the operating system's notification permission
//     for the contact's push address, as the host last saw it.
//   - prospectActiveWithin(duration) bool: the contact's details were
//     collected (collected_at), or the person last made contact with the
//     sender entity (a response, an inquiry or a purchase), less than the
//     duration before the instant evaluated; false when none is known.
//   - customerActiveWithin(duration) bool: a contract with the sender entity
//     is in force, or the last purchase from it, end of a contract with it,
//     response or inquiry to it is less than the duration before the instant
//     evaluated.
//   - inquiredWithin(duration) bool: an inquiry or application to the sender
//     entity within the duration before the message.
//   - callsWithin(duration) int: the number of calls (voice_live or
//     voice_automated attempts) by the sender entity no more than the
//     duration before the instant evaluated, up to it: a rolling period,
//     whatever the local dates.
//   - sentWithin(purpose, channel, duration) int: the number of messages
//     sent by the sender entity (contact sent) for the purpose
//     ('all_marketing': any marketing purpose) on the channel ('all': any)
//     no more than the duration before the instant evaluated, up to it: a
//     rolling period, as callsWithin.
//   - indirectConsent(purpose, channel) bool: the grant judged for the
//     purpose and channel (the one hasConsent counts, or else the one
//     consentDefect judges) was collected by another legal entity than the
//     sender: partner, co-registration or purchased data (record
//     provenance).
//   - partnerInformed(purpose, channel) bool: that indirect grant records
//     that the collector designated the recipients (a partner list or a
//     category) and offered a free opt-out from the transfer (record
//     opt_out_offered).
//   - indirectConsentAged(purpose, channel) bool: the grant that counts (as
//     hasConsent) is indirect and was given more than the set's
//     max_indirect_consent_age_months (calendar months, UTC) before the
//     instant evaluated; false where no set of the chain declares one.
//   - art14NoticeLate(purpose, channel) bool: the grant that counts (as
//     hasConsent) is indirect, the sender obtained the data (provenance
//     obtained_at, else the grant's instant) more than one calendar month
//     (UTC) before the instant evaluated, and no notice of GDPR art. 14 was
//     sent by then (provenance notice_sent_at).
//   - similarPurchaseElsewhere() bool: a purchase from another legal entity
//     than the sender (an affiliate, a partner), in the message's category
//     or a similarity group with it: a soft opt-in that is that entity's,
//     never the sender's.
//   - writtenConsentMissing(purpose, channel) written consent term: the
//     first element of a written agreement the grant that counts (as
//     hasConsent) lacks: 'signature' (a signed_form grant is signed),
//     'automated_means' or 'not_purchase_condition' (record terms); the
//     empty string when it has them all or none counts.
//   - consentCurrent(purpose, channel, duration) bool: a grant that counts
//     (as hasConsent) was given no more than the duration before the instant
//     evaluated, or records that it was expressed to be for an indefinite
//     period (record term 'indefinite'): a consent that has not lapsed with
//     age.
//   - revokedOn(purpose, channel, channel) bool: the grant that counts for
//     the purpose on the first channel (as hasConsent) was given no later
//     than the latest withdrawal, objection or refusal at collection for the
//     purpose on the second channel, lifted since or not: a revocation by
//     another medium (United States, FCC 24-24).
//
// Hosts add their own pure Go functions and variables, with typed
// signatures, at compile time, with eligibility.Params.Functions (see
// eligibility.Func, Func1, Func2 and Variable): a function is called as
// name(args), a variable written bare, as name. A host function that fails
// or panics denies (HOST_FUNCTION_FAILED).
//
// # Cost bounds
//
// Every condition gets a static worst-case cost when it is compiled, in
// cost units (about one per record, relationship entry, call attempt or
// registry lookup examined, or operator applied, and one per ten bytes of a
// string compared), stated in terms of the contact's limits: a ledger of
// 20,000 records, 10,000 entries in each relationship list, in the attempts
// and in the sends, 1,000 registry lookups. Each function above declares
// its worst case, a host function its own (eligibility.Function's Cost). A
// rule over the policy's rule budget (eligibility.Params.RuleBudget), or a
// jurisdiction whose rules together exceed the decision budget
// (eligibility.Params.DecisionBudget), fails compilation with the estimate;
// a rule exactly at the budget compiles. The check prices CEL's string
// functions too (a pattern at the input's length times its own), which the
// language then refuses: no regular expression is built or run, and no
// string grows, while deciding.
//
// # Language levels
//
// The language has levels ([LanguageLevel]): each function belongs to the
// level that introduced it and keeps its name, signature and level. A file
// may declare the level it was written for (language: 3, [Set.Language]); a
// level above the library's, or a call of a function introduced after the
// declared level, fails compilation naming both levels, so a declared file
// compiles on every release implementing its level.
//
// # Categories
//
// Product categories compare by canonical key ([consent.CategoryKey]):
// Unicode NFKC, fully case-folded, and every run of separators (white
// space, punctuation, controls, invisible format characters such as the
// zero-width space and the word joiner, and the other default-ignorable
// code points) one underscore, none at either end. So
// "Energy_Renovation", " energy_renovation", "energy-renovation",
// "energy.renovation", "energy /renovation", "energy\u200brenovation" and
// the fullwidth "ｅｎｅｒｇｙ＿ｒｅｎｏｖａｔｉｏｎ" all meet the French
// energy-renovation ban; "energyrenovation" does not name that category.
// The keys of the policy's categories (similarity-group members,
// [SectorCategories]) are computed when it is compiled; the key of the
// message's category once per decision, without allocating;
// request.category in a condition is that key.
//
// # Mixed messages
//
// Before any rule runs, the message's content decides the purpose it is
// judged under (eligibility.Decision.Purpose and Reclassified): a charitable
// appeal by a sender that is not a charity is general marketing, and so is
// a charity's appeal with a category (for an appeal, the goods or services
// promoted) or a promotional marker, in every set: selling is never a
// charitable appeal. Where the set reads mixed messages as marketing
// ([MixedAsMarketing], the parameter mixed_messages, the default), a
// transactional message with a promotional marker or a category, and a
// consent or feedback request with a promotional marker, are marketing, and
// a transactional message with a rating request is a feedback request. A
// message decided as marketing is similar-products marketing when its
// category is similar to a purchase from the sender, or to an inquiry where
// the set's soft opt-in counts inquiries (similarInquiry). The reading is
// rule data, so that a jurisdiction with another test can say so: on the
// channels a set lists under primary_purpose_channels (the United States'
// e-mail, 16 CFR 316.3) a transactional message is marketing only when its
// subject line promotes or its transactional part does not come first
// (content markers promotional_subject, transactional_not_first); a
// promotional body or a category alone leaves it transactional, though a
// marketing stop in force still denies the promotion it carries.
//
// # Overrides
//
// A house file may relax rules the library marks as conservative choices
// (needs_review: true) or self-regulation (self_regulatory: true) under
// its overrides: key, each naming the rule, why and who answers for it
// (a file of overrides only needs no applies_to):
//
//	house: exemple
//	title: Exemple SAS's reviewed relaxations
//	overrides:
//	  - rule: FR_SMS_PROMO_WINDOW
//	    justification: "Our counsel reviewed the operators' charter (memo 2026-11)"
//	    owner: "Legal, Exemple SAS"
//
// An overridden deny or defer rule is lifted: where its condition holds,
// the walk goes on as if the rule were absent. An overridden allow or
// exempt rule needing review allows without review. Every decision an
// override changes records it (eligibility.Decision.Overrides), and the
// trace shows it beside the rule. Compilation refuses an override of an
// unknown rule (suggesting the nearest id), of a rule not so marked (a
// statutory rule), of a stop in force (a rule reading objected(),
// withdrawn() or refusedWithin(), one with a stop's reason, the engine's
// STOP_OBJECTION and STOP_WITHDRAWN), of a statutory ban (a deny or defer
// rule reading inCategory(), registry() or consentAfterListing(), marked
// or not), of a no_basis rule (lifting it would allow nothing), of an
// allow or exempt rule needing no review, and of a rule named by another
// override, or of a house rule; [Check] refuses one without a rule, a
// justification or an owner, and overrides in a jurisdiction's set.
// Overrides are part of the policy version.
//
// # House files
//
// A house file holds a host's own rules, written once and applied in
// every jurisdiction of its scope instead of being copied into each
// country's set. It is read by [Parse], [ParseFile] or [ParseFS] into a
// [Set] whose House is set instead of Jurisdiction, and compiled with the
// other sets:
//
//	house: acme_mail                 # a lower-case name, unique in the policy
//	title: Acme Mail's own rules
//	applies_to:
//	  jurisdictions: [all]           # every jurisdiction of the policy, or [FR, BE, ...]
//	  channels: [email]              # optional: every channel a jurisdiction has rules for
//	parameters:
//	  windows:                       # the only parameters of a house file
//	    - {name: acme_daytime, days: [mon, tue, wed, thu, fri, sat, sun], hours: ["07:00-22:00"]}
//	obligations:                     # optional: added to every allow in the scope
//	  - {obligation: opt_out, citation: Acme charter 4}
//	rules:
//	  - id: ACME_NO_SUNDAY_EMAIL
//	    channels: [all]              # the house's channels
//	    effect: defer                # deny or defer only
//	    reason: ACME_SUNDAY
//	    citation: Acme Mail charter, section 2 (house rule, not law)
//	    condition: request.purpose != 'transactional' && localWeekday() == 'sunday'
//	reasons:
//	  ACME_SUNDAY:
//	    en: Acme Mail sends no marketing e-mail on the recipient's Sunday.
//	    fr: Acme Mail n'envoie pas de courriel de prospection le dimanche du destinataire.
//	    de: Acme Mail versendet sonntags keine Werbe-E-Mails.
//
// A house rule may only deny or defer: house denies are free, and an
// allow, exempt or no_basis rule in a house file is an error (a built-in
// rule is relaxed only by an override, never by a house rule). In each
// jurisdiction of its scope, a house file's rules run after the
// jurisdiction's own rules of the same tier, so a stop or ban of the law
// is reported before a house rule that also holds; house files apply in
// the order of their names. Decisions and trace steps they make have
// origin house (eligibility.FromHouse). A house file may also carry
// overrides (see Overrides), which relax the rules they name wherever
// those apply; a house file of overrides only needs no applies_to. A
// house rule itself is changed in its file, never overridden.
//
// The scope names jurisdictions the policy has sets for (a code it has
// none for is an error, with a suggestion), or all; EU, a base, is not a
// jurisdiction. The channels of applies_to limit the house rules to those
// channels; a house channel a jurisdiction has no rules for is not applied
// there (its messages are denied NO_RULES_FOR_CHANNEL before any rule
// runs). A house rule's channels are channels of its scope, or [all] for
// all of them. Its conditions see the rule language's functions, the
// host's functions and the house file's own windows (a window's name must
// differ from every other set's windows), not the jurisdiction's windows
// or registries; its rule ids are unique across the policy.
//
// A house file's set-level obligations are added to every allow in its
// scope (its jurisdictions and channels) that lacks them; an obligation the
// law already imposes keeps the law's citation.
//
// Reasons: a house rule's reason is a built-in code or one its file
// declares under reasons with at least an English text (en), plus texts
// in any language (BCP 47 tags: fr, de, de-CH, ...); the texts are fixed
// and may hold no placeholder, so that they never carry personal data.
// A house file cannot redeclare a built-in code. eligibility.Policy
// ReasonText gives the texts.
//
// # Invariants
//
// No rule set can lift a stop in force or a statutory ban. Exempt rules
// apply only to messages decided as transactional. The deny rules of the
// built-in sets are in every policy that has a set for their country, even
// when the host's set for it does not extend them or replaces the built-in
// one, and a host rule reusing one of their ids with another meaning fails
// compilation. In every jurisdiction an objection or withdrawal in force
// denies (the engine's stop rules STOP_OBJECTION and STOP_WITHDRAWN)
// whatever the set's rules say, and so do the stops of every purpose the message's content carries
// besides the one decided (a rating request carries a feedback request; a
// promotional marker, on a message decided as transactional, general
// marketing) — for a transactional message, before any exempt rule.
package rules
