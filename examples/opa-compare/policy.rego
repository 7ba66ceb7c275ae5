# sendright's EU baseline and French email/SMS rules (rules/builtin/eu.yaml
# and fr.yaml), written by hand in Rego for the OPA comparison. It decides
# exactly like the hand-written reference in eligibility/reference_test.go,
# and the agreement test checks it against sendright's evaluator.
#
# Input (built by opa.go from an eligibility.Request; every instant is Unix
# nanoseconds, an absent key means the zero time.Time):
#
#   contact: null, or {id, kind, country, time_zone?, utc_offset?, birth_date?,
#            email, phone,
#            opt_out_offered_at_collection,
#            relationship: {purchases, inquiries, support: [{id, at?, seller,
#                           category, category_key, collected: [address key],
#                           opt_out_offered}],
#                           contracts: [{id, seller, category, category_key,
#                                        start?, end?}]},
#            records: [{id, subject, purpose, channel, sender, status, at,
#                       (with each refusal at collection as objection records)
#                       method, proof_ref, confirmed_at?, parental}]}
#   message: {purpose, channel, category, category_key, content: [marker],
#             sender: {entity, kind}, at?, role_relevant}
#
# Categories compare by canonical key (consent.CategoryKey), which opa.go
# computes: the comparison is of the decision logic, not of Unicode
# normalisation. The similarity groups in data are keys too.
#
# time_zone is absent when the contact has none; utc_offset (nanoseconds)
# is set instead of an IANA name for a fixed-offset zone.
#
# records come in ledger order (at, then granted < withdrawn < objection,
# then id): consent.Ledger keeps them so, and reading them in that order is
# what the consent state means.
#
# Data: data.sendright.similarity_groups, e.g.
# {"small_kitchen_appliances": ["kettles", "toasters"]}.
package sendright

c := input.contact

m := input.message

# ---------------------------------------------------------------------------
# The decision: the first branch that matches decides, in the order of the
# reference (exempt, deny, allow by strength of basis, then the reasons why
# nothing allowed).

decision := deny("", "INVALID_REQUEST") if {
	not well_formed
} else := deny("", "NO_RULES") if {
	c.country != "FR"
} else := deny("", "NO_RULES_FOR_CHANNEL") if {
	not m.channel in {"email", "sms"}
} else := deny("", "INVALID_REQUEST") if {
	address(m.channel) == ""
} else := allow("transactional", "EU_TRANSACTIONAL", "TRANSACTIONAL") if {
	purpose == "transactional"
} else := deny_for_review("FR_CANVASSING_BAN_START_DATE", "CANVASSING_BAN_START_DATE_UNCLEAR") if {
	banned_category
	canvassing_ban_day_one
} else := deny("FR_ENERGY_RENOVATION_BAN", "ENERGY_RENOVATION_CANVASSING_BAN") if {
	similar("energy_renovation", m.category_key)
	canvassing_ban
} else := deny_for_review("FR_HOME_ADAPTATION_BAN", "HOME_ADAPTATION_CANVASSING_BAN") if {
	similar("home_adaptation", m.category_key)
	canvassing_ban
} else := deny("EU_OBJECTION", "OBJECTION_ON_FILE") if {
	message_state.suppression == "objection"
} else := deny("EU_WITHDRAWN", "CONSENT_WITHDRAWN") if {
	message_state.suppression == "withdrawn"
} else := deny("STOP_OBJECTION", "OBJECTION_ON_FILE") if {
	feedback_stop == "objection"
} else := deny("STOP_WITHDRAWN", "CONSENT_WITHDRAWN") if {
	feedback_stop == "withdrawn"
} else := allow("consent", "EU_CONSENT", "CONSENT") if {
	message_state.grant
} else := allow("soft_opt_in", "FR_SOFT_OPT_IN", "SOFT_OPT_IN") if {
	purpose == "marketing_similar"
	c.kind in {"consumer", "sole_trader", "business_named"}
	similar_purchase(true)
} else := allow("b2b_opt_out", "FR_B2B_PROFESSIONAL_RELEVANCE", "B2B_PROFESSIONAL_RELEVANCE") if {
	c.kind == "business_named"
	m.role_relevant
	purpose != "marketing_third_party"
	c.opt_out_offered_at_collection
} else := allow("not_personal_data", "FR_LEGAL_PERSON_GENERIC_ADDRESS", "LEGAL_PERSON_GENERIC_ADDRESS") if {
	c.kind == "business_generic"
} else := allow("non_commercial_opt_out", "FR_CHARITY_OPT_OUT", "CHARITY_OPT_OUT") if {
	purpose == "charitable_appeal"
	person
	supported_charity
} else := deny("FR_B2B_NOT_ROLE_RELEVANT", "B2B_NOT_ROLE_RELEVANT") if {
	c.kind == "business_named"
	not m.role_relevant
} else := deny("FR_B2B_NOT_INFORMED_AT_COLLECTION", "B2B_NOT_INFORMED_AT_COLLECTION") if {
	c.kind == "business_named"
	not c.opt_out_offered_at_collection
} else := deny("FR_SOFT_OPT_IN_NO_OPT_OUT_AT_COLLECTION", "SOFT_OPT_IN_NO_OPT_OUT_AT_COLLECTION") if {
	purpose == "marketing_similar"
	similar_purchase(false)
} else := deny("EU_INVALID_CONSENT_PRETICKED", "INVALID_CONSENT_PRETICKED") if {
	message_state.defect == "pre_ticked"
} else := deny("EU_CONSENT_UNPROVABLE", "CONSENT_UNPROVABLE") if {
	message_state.defect in {"method_unknown", "unproven"}
} else := deny("EU_CONSENT_UNCONFIRMED", "CONSENT_UNCONFIRMED") if {
	message_state.defect == "unconfirmed"
} else := deny("EU_MINOR_WITHOUT_PARENTAL_CONSENT", "MINOR_WITHOUT_PARENTAL_CONSENT") if {
	message_state.defect == "minor"
} else := deny("EU_NO_CONSENT_FOR_CHANNEL", "NO_CONSENT_FOR_CHANNEL") if {
	consent_on_other_channel
} else := deny("EU_CONSENT_REQUEST_IS_MARKETING", "CONSENT_REQUEST_IS_MARKETING") if {
	purpose == "consent_request"
} else := deny("EU_NO_CONSENT", "NO_CONSENT")

allow(basis, rule, reason) := {"verdict": "allow", "basis": basis, "rule": rule, "reason": reason, "needs_review": false}

deny(rule, reason) := {"verdict": "deny", "basis": "no_legal_basis", "rule": rule, "reason": reason, "needs_review": false}

deny_for_review(rule, reason) := {"verdict": "deny", "basis": "no_legal_basis", "rule": rule, "reason": reason, "needs_review": true}

# ---------------------------------------------------------------------------
# Well-formedness: consent.Contact.Check and consent.Message.Check.

message_purposes := {"transactional", "marketing_similar", "marketing_general", "marketing_third_party", "consent_request", "feedback_request", "charitable_appeal"}

marketing_purposes := message_purposes - {"transactional"}

message_channels := {"email", "sms", "voice_live", "voice_automated", "push", "post"}

recipient_kinds := {"consumer", "business_named", "business_generic", "sole_trader"}

sender_kinds := {"company", "charity"}

max_events := 10000

well_formed if {
	contact_ok
	message_ok
}

contact_ok if {
	is_object(c)
	c.id != ""
	c.kind in recipient_kinds
	c.country != ""
	is_string(c.time_zone)
	birth_date_ok
	events_ok(c.relationship.purchases)
	events_ok(c.relationship.inquiries)
	events_ok(c.relationship.support)
	contracts_ok
}

birth_date_ok if not c.birth_date

birth_date_ok if {
	y := time.date(c.birth_date)[0]
	y >= 1900
	y <= 9999
}

events_ok(evs) if {
	count(evs) <= max_events
	every e in evs {
		e.id != ""
		e.at
		e.seller != ""
		id_len_ok(e.id)
		id_len_ok(e.seller)
		id_len_ok(e.category)
	}
}

contracts_ok if {
	count(c.relationship.contracts) <= max_events
	every k in c.relationship.contracts {
		k.id != ""
		k.seller != ""
		k.start
		contract_end_ok(k)
	}
}

contract_end_ok(k) if not k.end

contract_end_ok(k) if k.end >= k.start

message_ok if {
	m.purpose in message_purposes
	m.channel in message_channels
	m.sender.entity != ""
	m.sender.kind in sender_kinds
	m.at
	id_len_ok(m.category)
	id_len_ok(m.sender.entity)
}

# id_len_ok: at most 256 bytes (consent.MaxIDLen). count counts runes, and a
# rune is 1 to 4 bytes, so hex-encode only when the rune count cannot tell.
id_len_ok(s) if count(s) <= 64

id_len_ok(s) if {
	n := count(s)
	n > 64
	n <= 256
	count(hex.encode(s)) <= 512
}

# ---------------------------------------------------------------------------
# The contact and the message.

address("email") := c.email

address(ch) := c.phone if ch in {"sms", "voice_live", "voice_automated"}

address(ch) := "" if ch in {"push", "post"}

person if c.kind in {"consumer", "sole_trader"}

# purpose: the purpose decided (EU mixed_messages, inherited by FR). A
# charitable appeal by a company is general marketing, and so is a
# charity's appeal that promotes goods or services (a category or a
# promotional marker); a transactional message with a promotional marker or
# a promoted category, or a consent or feedback request with a promotional
# marker, is marketing (similar products when the category is similar to a
# purchase from the sender); a transactional message with a rating request
# is a feedback request.
purpose := "marketing_general" if {
	m.purpose == "charitable_appeal"
	m.sender.kind != "charity"
} else := promoted_purpose if {
	m.purpose in {"charitable_appeal", "transactional"}
	promo_or_category
} else := promoted_purpose if {
	m.purpose in {"consent_request", "feedback_request"}
	promo
} else := "feedback_request" if {
	m.purpose == "transactional"
	"rating_request" in m.content
} else := m.purpose

promoted_purpose := "marketing_similar" if {
	m.category_key != ""
	purchased_similar
} else := "marketing_general"

promo if "promotional_body" in m.content

promo if "promotional_subject" in m.content

promo if "transactional_not_first" in m.content

promo_or_category if promo

promo_or_category if m.category_key != ""

# purchased_similar: a purchase from the sender, not after the message, in
# a similar category, whatever was collected.
purchased_similar if {
	some p in c.relationship.purchases
	same_sender(p.seller)
	p.at <= m.at
	similar(p.category_key, m.category_key)
}

# FR_ENERGY_RENOVATION_BAN and FR_HOME_ADAPTATION_BAN: valid from
# 2025-07-02T00:00:00+02:00, for natural persons, unless a contract with the
# sender for the category promoted (or a similar one) is in force.
canvassing_ban if {
	person
	m.at >= time.parse_rfc3339_ns("2025-07-02T00:00:00+02:00")
	not ongoing_contract
}

# FR_CANVASSING_BAN_START_DATE: 1 July 2025, whose status is disputed.
canvassing_ban_day_one if {
	person
	m.at >= time.parse_rfc3339_ns("2025-07-01T00:00:00+02:00")
	m.at < time.parse_rfc3339_ns("2025-07-02T00:00:00+02:00")
	not ongoing_contract
}

banned_category if similar("energy_renovation", m.category_key)

banned_category if similar("home_adaptation", m.category_key)

# supported_charity: support expressed to the sending charity, not after
# the message, with the address collected then and an opt-out offered.
supported_charity if {
	some e in c.relationship.support
	same_sender(e.seller)
	e.at <= m.at
	collected_for(e)
	e.opt_out_offered
}

ongoing_contract if {
	some k in c.relationship.contracts
	same_sender(k.seller)
	k.start <= m.at
	contract_running(k)
	similar(k.category_key, m.category_key)
}

contract_running(k) if not k.end

contract_running(k) if m.at < k.end

# similar_purchase: a purchase from the sender, not after the message, with
# the address the message goes to collected at the sale, in a similar
# category, with an opt-out offered at collection (opt_out true) or not
# (false).
similar_purchase(opt_out) if {
	some p in c.relationship.purchases
	same_sender(p.seller)
	p.at <= m.at
	collected_for(p)
	p.opt_out_offered == opt_out
	similar(p.category_key, m.category_key)
}

# collected_for: the interaction collected the address or number the
# message goes to (addresses are compared by their matching keys).
collected_for(p) if {
	a := address(m.channel)
	a != ""
	a in p.collected
}

similar(a, b) if {
	a != ""
	a == b
}

similar(a, b) if {
	a != ""
	b != ""
	some members in data.sendright.similarity_groups
	a in members
	b in members
}

# same_sender: the same legal entity as the message's sender, equal up to
# case and surrounding space (consent.SameEntity, strings.EqualFold).
same_sender(entity) if {
	entity == m.sender.entity
} else := true if {
	fold(entity) == sender_key
}

sender_key := fold(m.sender.entity)

# fold: a key equal for two strings exactly when strings.EqualFold says so
# after trimming. Mapping each character to lower(upper(c)) does it for
# every character but the Turkish İ (U+0130) and ı (U+0131), which fold to
# i there and to nothing but themselves in EqualFold: they are kept apart.
fold(s) := lower(upper(t)) if {
	t := trim_space(s)
	not contains(t, "İ")
	not contains(t, "ı")
} else := [[lower(upper(p)) | some p in regex.split(`[İı]`, t)], regex.find_n(`[İı]`, t, -1)] if {
	t := trim_space(s)
}

# ---------------------------------------------------------------------------
# The consent ledger: consent.Ledger.State for the message's purpose and
# sender on one channel, at the message instant.
#
# Records up to the instant for the sender and the channel (or all) are read
# in ledger order. A withdrawal or an objection whose scope stops the
# purpose ends every grant before it; of the grants after the last one that
# cover the purpose and name the contact's address on the channel, any
# without a defect is consent; else the latest one's defect is why there is
# none.

message_state := channel_state(m.channel, purpose)

# feedback_stop: a rating request carries a feedback request, whose stops
# apply whatever the purpose decided (the engine's STOP_ rules).
feedback_stop := channel_state(m.channel, "feedback_request").suppression if {
	"rating_request" in m.content
	purpose != "feedback_request"
}

channel_state(ch, q) := {"grant": grant, "suppression": suppression, "defect": defect} if {
	scoped := [i |
		some i, r in c.records
		r.at <= m.at
		channel_covers(r.channel, ch)
		same_sender(r.sender)
	]
	last := max(array.concat([-1], [i |
		some i in scoped
		c.records[i].status != "granted"
		suppression_covers(c.records[i].status, c.records[i].purpose, q)
	]))
	addr := address(ch)
	defects := [record_defect(r) |
		some i in scoped
		i > last
		r := c.records[i]
		r.status == "granted"
		purpose_covers(r.purpose, q)
		subject_ok(r.subject, addr)
	]
	grant := count([d | some d in defects; d == ""]) > 0
	suppression := status_at(last, grant)
	defect := last_defect(defects, grant)
}

status_at(i, grant) := c.records[i].status if {
	i >= 0
	not grant
} else := ""

last_defect(defects, grant) := defects[count(defects) - 1] if {
	count(defects) > 0
	not grant
} else := ""

# purpose_covers: a grant for p is consent for a message with purpose q.
purpose_covers(p, q) if p == q

purpose_covers("all_marketing", q) if q in marketing_purposes

purpose_covers("marketing_general", q) if q in {"marketing_similar", "consent_request", "feedback_request", "charitable_appeal"}

# suppression_covers: an objection stops every marketing purpose of the
# sender on its channels, whatever purpose it was recorded with (GDPR art.
# 21(3); CPCE art. L34-5). A withdrawal stops what its scope covers; one of
# general marketing stops third-party offers too.
suppression_covers("objection", _, q) if q in marketing_purposes

suppression_covers("withdrawn", p, q) if {
	p in {"marketing_general", "all_marketing"}
	q in marketing_purposes
}

suppression_covers("withdrawn", p, q) if {
	p == q
	q in message_purposes
}

channel_covers(ch, ch)

channel_covers("all", _)

# On push and post the contact has no address: grants are not matched on it.
subject_ok(_, "")

subject_ok(subject, addr) if subject == addr

capture_methods := {"unticked_checkbox", "double_opt_in", "signed_form", "recorded_verbal", "imported"}

# record_defect: why a grant does not count as consent, "" when it does.
record_defect(r) := "pre_ticked" if {
	r.method == "pre_ticked"
} else := "method_unknown" if {
	not r.method in capture_methods
} else := "unproven" if {
	r.method == "imported"
	r.proof_ref == ""
} else := "unconfirmed" if {
	r.method == "double_opt_in"
	not confirmed(r)
} else := "minor" if {
	minor_at(r.at)
	r.parental != "joint"
} else := ""

confirmed(r) if r.confirmed_at <= m.at

# minor_at: younger than 15 (France's age of digital consent) on the local
# date of t in the contact's time zone; an unknown birth date is an adult's.
minor_at(t) if {
	born := time.date(c.birth_date)
	day := local_date(t)
	age := (day[0] - born[0]) - to_number([day[1], day[2]] < [born[1], born[2]])
	age < 15
}

# local_date: [year, month, day] of instant t in the contact's time zone.
local_date(t) := time.date([t + c.utc_offset, "UTC"]) if {
	c.utc_offset
} else := time.date([t, c.time_zone])

# consent_on_other_channel: consent in force on another channel. A grant
# names exactly one channel, so only the channels grants name can have one.
consent_on_other_channel if {
	some ch in {r.channel | some r in c.records; r.status == "granted"}
	ch != m.channel
	s := channel_state(ch, purpose)
	s.grant
}
