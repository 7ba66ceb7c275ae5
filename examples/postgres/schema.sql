-- The reference schema of the sendright consent ledger in PostgreSQL.
--
-- Consent events and relationship events are append-only, enforced by the
-- database: a trigger refuses every UPDATE, DELETE and TRUNCATE of them,
-- whoever the role, so that no grant (the proof of past sends) and no
-- withdrawal or objection is ever rewritten or lost. A correction is a new
-- event. The one exception is erasure (GDPR art. 17): the function
-- sendright_erase(contact) deletes a contact's rows after the application
-- has stored its suppressions, and only inside that function.
--
-- Run the application as a role that does not own these tables and holds
-- only SELECT and INSERT on them (and EXECUTE on sendright_erase): an owner
-- or superuser can drop or disable a trigger, a plain role cannot.
--
-- Every statement is idempotent, so the file can be applied at each start.

-- contacts is the profile of a contact: the columns a CRM searches by, and
-- the library's JSON form of the contact without its records and
-- relationship, which live in the event tables below. The profile changes
-- (a new address, a move); the events never do.
CREATE TABLE IF NOT EXISTS contacts (
	id         text PRIMARY KEY CHECK (id <> '' AND octet_length(id) <= 256),
	country    text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
	email_key  text,    -- the e-mail address as the library compares it (address.Address.Key)
	phone_key  text,    -- the number in E.164 form
	profile    jsonb NOT NULL CHECK (jsonb_typeof(profile) = 'object'),
	updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS contacts_email ON contacts (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS contacts_phone ON contacts (phone_key) WHERE phone_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS contacts_country ON contacts (country, id);

-- consent_events holds every grant, withdrawal and objection, one row per
-- consent.Record, with the record's JSON field names as columns. A stop
-- may arrive before the contact's profile (an unsubscribe link, a
-- complaint forwarded by a mailbox provider): there is deliberately no
-- foreign key to contacts, so that it is stored whatever the order.
CREATE TABLE IF NOT EXISTS consent_events (
	seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	contact_id       text NOT NULL CHECK (contact_id <> ''),
	id               text NOT NULL CHECK (id <> ''),
	status           text NOT NULL CHECK (status IN ('granted', 'withdrawn', 'objection')),
	purpose          text NOT NULL,
	channel          text NOT NULL,
	sender           text NOT NULL,
	at               timestamptz NOT NULL,
	subject          text,
	method           text,
	source           text,
	wording_version  text,
	proof_ref        text,
	confirmed_at     timestamptz,
	opt_out_offered  boolean NOT NULL DEFAULT false,
	parental_consent text,
	-- digest is the SHA-256 of the record's JSON form: writing the same
	-- record twice (a retry, two importers) stores it once. Two records
	-- with one id and different content are both kept; the library's
	-- ledger settles them when it loads them, keeping every stop.
	digest           bytea NOT NULL CHECK (octet_length(digest) = 32),
	recorded_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
	CHECK (status <> 'granted' OR (subject IS NOT NULL AND method IS NOT NULL)),
	UNIQUE (contact_id, digest)
);
-- Loading a contact's ledger; "who opted out of this sender since …".
CREATE INDEX IF NOT EXISTS consent_events_contact ON consent_events (contact_id, at);
CREATE INDEX IF NOT EXISTS consent_events_stops ON consent_events (sender, at) WHERE status <> 'granted';

-- relationship_events holds purchases, inquiries, expressions of support,
-- responses and contracts (kind), in the library's JSON field names; a
-- contract's start is "at" and its end "ends_at".
CREATE TABLE IF NOT EXISTS relationship_events (
	seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	contact_id      text NOT NULL CHECK (contact_id <> ''),
	kind            text NOT NULL CHECK (kind IN ('purchase', 'inquiry', 'support', 'response', 'contract')),
	id              text NOT NULL CHECK (id <> ''),
	at              timestamptz NOT NULL,
	seller          text NOT NULL,
	category        text,
	collected       text[],
	opt_out_offered boolean NOT NULL DEFAULT false,
	refused         boolean NOT NULL DEFAULT false,
	ends_at         timestamptz,
	recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
	CHECK (kind = 'contract' OR ends_at IS NULL),
	UNIQUE (contact_id, kind, id)
);
CREATE INDEX IF NOT EXISTS relationship_events_contact ON relationship_events (contact_id, at);
CREATE INDEX IF NOT EXISTS relationship_events_seller ON relationship_events (seller, kind, at);

-- suppressions is what an erasure leaves (rights.Suppression): a keyed
-- digest of each address (rights.Keyring.Digest, HMAC-SHA256 under a key
-- the database never sees), never the address. An import looks its
-- addresses up by digest under every key version the keyring holds.
CREATE TABLE IF NOT EXISTS suppressions (
	key_version integer NOT NULL CHECK (key_version > 0),
	hmac        text NOT NULL CHECK (hmac ~ '^[0-9a-f]{64}$'),
	kind        text NOT NULL CHECK (kind IN ('email', 'phone', 'push', 'postal')),
	sender      text NOT NULL CHECK (sender <> ''),
	purpose     text NOT NULL,
	channel     text NOT NULL,
	at          timestamptz NOT NULL,
	PRIMARY KEY (hmac, key_version, kind, sender)
);

-- sendright_refuse_change makes a table append-only: UPDATE, DELETE and
-- TRUNCATE raise an error, except a DELETE of the contact that
-- sendright_erase is erasing.
CREATE OR REPLACE FUNCTION sendright_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' AND TG_LEVEL = 'ROW'
		AND OLD.contact_id = current_setting('sendright.erasing', true) THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION 'sendright: % is append-only: % refused', TG_TABLE_NAME, TG_OP
		USING ERRCODE = 'integrity_constraint_violation',
		      HINT = 'record a new event instead (a withdrawal, an objection, a new grant)';
END
$$;

CREATE OR REPLACE FUNCTION sendright_refuse_suppression_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'sendright: % is append-only: % refused', TG_TABLE_NAME, TG_OP
		USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE OR REPLACE TRIGGER consent_events_append_only
	BEFORE UPDATE OR DELETE ON consent_events FOR EACH ROW EXECUTE FUNCTION sendright_refuse_change();
CREATE OR REPLACE TRIGGER consent_events_no_truncate
	BEFORE TRUNCATE ON consent_events FOR EACH STATEMENT EXECUTE FUNCTION sendright_refuse_change();
CREATE OR REPLACE TRIGGER relationship_events_append_only
	BEFORE UPDATE OR DELETE ON relationship_events FOR EACH ROW EXECUTE FUNCTION sendright_refuse_change();
CREATE OR REPLACE TRIGGER relationship_events_no_truncate
	BEFORE TRUNCATE ON relationship_events FOR EACH STATEMENT EXECUTE FUNCTION sendright_refuse_change();
CREATE OR REPLACE TRIGGER suppressions_append_only
	BEFORE UPDATE OR DELETE ON suppressions FOR EACH ROW EXECUTE FUNCTION sendright_refuse_suppression_change();
CREATE OR REPLACE TRIGGER suppressions_no_truncate
	BEFORE TRUNCATE ON suppressions FOR EACH STATEMENT EXECUTE FUNCTION sendright_refuse_suppression_change();

-- sendright_erase deletes a contact, its consent events and its
-- relationship events. Call it in the transaction that stores the
-- contact's suppressions, so that the objection outlives the data.
--
-- It runs with its owner's rights (SECURITY DEFINER): the application's
-- role needs no DELETE privilege, so the setting the trigger reads cannot
-- be used to delete anything outside this function.
CREATE OR REPLACE FUNCTION sendright_erase(contact text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
	PERFORM set_config('sendright.erasing', contact, true);
	DELETE FROM consent_events WHERE contact_id = contact;
	DELETE FROM relationship_events WHERE contact_id = contact;
	DELETE FROM contacts WHERE id = contact;
	PERFORM set_config('sendright.erasing', '', true);
END
$$;
-- Functions are executable by every role by default: erasing is granted
-- to the application's role explicitly.
REVOKE EXECUTE ON FUNCTION sendright_erase(text) FROM PUBLIC;
