import InteractionLog
import PostgresNIO
import Segments

/// The interaction log's tables on PostgreSQL: the same migrations as the SQLite store's
/// (`InteractionLogSchema`), then the tables of distributed runs. They run in ONE transaction
/// under a transaction-level advisory lock, so two processes starting at once migrate once.
enum PostgresSchema {
    /// The advisory lock key of migrations (any constant; "mailmerge" in ASCII, truncated).
    static let migrationLock: Int64 = 0x6D61_696C_6D65_7267

    static let migrations: [(identifier: String, statements: [String])] = [
        (
            "v1: logged segments and interaction log entries",
            [
                """
                CREATE TABLE logged_segment (
                  entry_no bigserial PRIMARY KEY,
                  segment_no text NOT NULL CHECK (length(segment_no) > 0),
                  description text NOT NULL,
                  number_of_interactions integer NOT NULL CHECK (number_of_interactions >= 0),
                  created_at timestamptz NOT NULL,
                  user_id text NOT NULL,
                  canceled boolean NOT NULL DEFAULT false)
                """,
                // At most one logged segment per segment number (ignoring case) that is not canceled:
                // what makes "already logged" hold when two processes log the same segment at once.
                "CREATE UNIQUE INDEX logged_segment_active_segment_no ON logged_segment (lower(segment_no)) WHERE NOT canceled",
                """
                CREATE TABLE interaction_log_entry (
                  entry_no bigserial PRIMARY KEY,
                  contact_no text NOT NULL CHECK (length(contact_no) > 0),
                  contact_company_no text NOT NULL,
                  date text NOT NULL CHECK (length(date) = 10),
                  created_at timestamptz NOT NULL,
                  template_code text NOT NULL,
                  description text NOT NULL,
                  subject text NOT NULL,
                  information_flow text NOT NULL CHECK (information_flow IN (\(list(InformationFlow.allCases.map(\.rawValue))))),
                  initiated_by text NOT NULL CHECK (initiated_by IN (\(list(InitiatedBy.allCases.map(\.rawValue))))),
                  correspondence_type text NOT NULL CHECK (correspondence_type IN (\(list(CorrespondenceType.allCases.map(\.rawValue))))),
                  salesperson_code text NOT NULL,
                  cost text NOT NULL,
                  duration text NOT NULL,
                  language_code text NOT NULL,
                  campaign_no text NOT NULL,
                  campaign_target boolean NOT NULL,
                  campaign_response boolean NOT NULL,
                  segment_no text,
                  logged_segment_entry_no bigint REFERENCES logged_segment ON DELETE RESTRICT,
                  document_path text,
                  document_sha256 text,
                  attempt_failed boolean NOT NULL,
                  canceled boolean NOT NULL,
                  postponed boolean NOT NULL)
                """,
                "CREATE INDEX interaction_log_entry_segment_no ON interaction_log_entry (lower(segment_no))",
                "CREATE INDEX interaction_log_entry_logged_segment ON interaction_log_entry (logged_segment_entry_no)",
                "CREATE INDEX interaction_log_entry_contact_no ON interaction_log_entry (lower(contact_no))",
            ]
        ),
        (
            "v2: postponed interactions",
            [
                """
                CREATE TABLE postponed_interaction (
                  entry_no bigint PRIMARY KEY REFERENCES interaction_log_entry ON DELETE CASCADE,
                  contact_no text NOT NULL,
                  template_code text NOT NULL,
                  description text,
                  subject text,
                  language_code text,
                  correspondence_type text,
                  comment text,
                  date text NOT NULL,
                  contacts_path text NOT NULL,
                  templates_directory text NOT NULL,
                  output_directory text NOT NULL)
                """
            ]
        ),
        (
            "distributed v1: runs, chunks, staged entries, inputs, workers",
            [
                // Input files (segment, contacts, templates.yaml, attachments) by SHA-256: workers need no shared folder for them.
                "CREATE TABLE distributed_input (sha256 text PRIMARY KEY, bytes bytea NOT NULL)",
                """
                CREATE TABLE distributed_run (
                  run_id bigserial PRIMARY KEY,
                  segment_no text NOT NULL,
                  description text NOT NULL,
                  user_id text NOT NULL,
                  created_at timestamptz NOT NULL,
                  status text NOT NULL CHECK (status IN ('planned', 'logged', 'failed')),
                  failure text,
                  inputs jsonb NOT NULL,
                  line_count integer NOT NULL,
                  chunk_count integer NOT NULL,
                  logged_segment_entry_no bigint REFERENCES logged_segment ON DELETE SET NULL,
                  finished_at timestamptz)
                """,
                // One planned run per segment number: decides between racing coordinators.
                "CREATE UNIQUE INDEX distributed_run_planned_segment_no ON distributed_run (lower(segment_no)) WHERE status = 'planned'",
                """
                CREATE TABLE distributed_chunk (
                  run_id bigint NOT NULL REFERENCES distributed_run ON DELETE CASCADE,
                  chunk_no integer NOT NULL,
                  first_line integer NOT NULL,
                  line_count integer NOT NULL,
                  contact_nos text[] NOT NULL,
                  status text NOT NULL CHECK (status IN ('pending', 'claimed', 'done')),
                  worker_id text,
                  lease_token bigint,
                  lease_until timestamptz,
                  attempts integer NOT NULL DEFAULT 0,
                  done_at timestamptz,
                  PRIMARY KEY (run_id, chunk_no))
                """,
                "CREATE INDEX distributed_chunk_open ON distributed_chunk (run_id, chunk_no) WHERE status <> 'done'",
                "CREATE SEQUENCE distributed_lease_token",
                // A chunk's entries, until the run's last chunk moves them all into the log in one transaction.
                // (run, line) is unique: a line can never be recorded twice.
                """
                CREATE TABLE distributed_entry (
                  run_id bigint NOT NULL REFERENCES distributed_run ON DELETE CASCADE,
                  line_index integer NOT NULL,
                  contact_no text NOT NULL CHECK (length(contact_no) > 0),
                  contact_company_no text NOT NULL,
                  date text NOT NULL,
                  template_code text NOT NULL,
                  description text NOT NULL,
                  subject text NOT NULL,
                  information_flow text NOT NULL,
                  initiated_by text NOT NULL,
                  correspondence_type text NOT NULL,
                  salesperson_code text NOT NULL,
                  cost text NOT NULL,
                  duration text NOT NULL,
                  language_code text NOT NULL,
                  campaign_no text NOT NULL,
                  campaign_target boolean NOT NULL,
                  campaign_response boolean NOT NULL,
                  document_path text,
                  document_sha256 text,
                  PRIMARY KEY (run_id, line_index))
                """,
                """
                CREATE TABLE distributed_worker (
                  worker_id text PRIMARY KEY,
                  host text NOT NULL,
                  pid integer NOT NULL,
                  started_at timestamptz NOT NULL,
                  last_seen timestamptz NOT NULL,
                  chunks_done integer NOT NULL DEFAULT 0)
                """,
            ]
        ),
        (
            "v3: segment numbers used once, evaluations, salesperson of postponed interactions",
            [
                // Every segment number handed out (reserved_at) or ever logged (logged_at); rows are never deleted, so a
                // number stays used after its logged segment is canceled or deleted.
                """
                CREATE TABLE segment_number (
                  segment_no text NOT NULL,
                  reserved_at timestamptz,
                  logged_at timestamptz)
                """,
                "CREATE UNIQUE INDEX segment_number_segment_no ON segment_number (lower(segment_no))",
                """
                INSERT INTO segment_number (segment_no, reserved_at, logged_at)
                  SELECT min(segment_no), min(created_at), min(created_at) FROM logged_segment GROUP BY lower(segment_no)
                """,
                // Refuses a logged segment whose number was logged before (canceled or not) and records each logged
                // number, in the database itself; racing writers wait on the segment_number row and the loser is
                // refused. The refusal is a unique violation, as the index on active logged segments gives.
                """
                CREATE FUNCTION logged_segment_number_used_once() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                  changed integer;
                BEGIN
                  INSERT INTO segment_number (segment_no, reserved_at, logged_at) VALUES (NEW.segment_no, NEW.created_at, NEW.created_at)
                    ON CONFLICT (lower(segment_no)) DO UPDATE SET logged_at = excluded.logged_at WHERE segment_number.logged_at IS NULL;
                  GET DIAGNOSTICS changed = ROW_COUNT;
                  IF changed = 0 THEN
                    RAISE EXCEPTION '\(alreadyLoggedMessage)' USING ERRCODE = 'unique_violation';
                  END IF;
                  RETURN NEW;
                END
                $$
                """,
                """
                CREATE TRIGGER logged_segment_number_used_once BEFORE INSERT ON logged_segment
                  FOR EACH ROW EXECUTE FUNCTION logged_segment_number_used_once()
                """,
                // The segment as it was logged (JSON of `Segment`), for follow-ups made from the log.
                "ALTER TABLE logged_segment ADD COLUMN segment_json text",
                """
                ALTER TABLE interaction_log_entry ADD COLUMN evaluation text
                  CHECK (evaluation IS NULL OR evaluation IN (\(list(Evaluation.allCases.map(\.rawValue)))))
                """,
                "ALTER TABLE postponed_interaction ADD COLUMN salesperson_code text",
                // The segment a distributed run logs, stored with its logged segment.
                "ALTER TABLE distributed_run ADD COLUMN segment_json text",
            ]
        ),
        (
            "v4: e-mail delivery",
            [
                // An e-mail entry's message file, envelope and delivery; NULL for other interactions.
                """
                ALTER TABLE interaction_log_entry
                  ADD COLUMN email_message_path text,
                  ADD COLUMN email_sender text,
                  ADD COLUMN email_recipient text,
                  ADD COLUMN delivery_status text CHECK (delivery_status IN (\(list(DeliveryStatus.allCases.map(\.rawValue))))),
                  ADD COLUMN delivery_reply text
                """
            ]
        ),
        (
            "distributed v2: run options, staged entries with e-mail delivery",
            [
                // The log-segment options a run's workers apply (e-mail sender, fax folder, pictures folder), as JSON strings.
                "ALTER TABLE distributed_run ADD COLUMN options jsonb NOT NULL DEFAULT '{}'",
                // Staged entries carry every column an entry provides (PostgresInteractionLogStore.providedColumns), so the
                // last chunk moves e-mail entries into the log with their message, envelope and delivery status.
                """
                ALTER TABLE distributed_entry
                  ADD COLUMN attempt_failed boolean NOT NULL DEFAULT false,
                  ADD COLUMN canceled boolean NOT NULL DEFAULT false,
                  ADD COLUMN postponed boolean NOT NULL DEFAULT false,
                  ADD COLUMN email_message_path text,
                  ADD COLUMN email_sender text,
                  ADD COLUMN email_recipient text,
                  ADD COLUMN delivery_status text CHECK (delivery_status IN (\(list(DeliveryStatus.allCases.map(\.rawValue))))),
                  ADD COLUMN delivery_reply text
                """,
            ]
        ),
        (
            "distributed v3: print runs (merged runs joined by `mailmerge finish`, print parts per chunk)",
            [
                // A print run's last chunk leaves the run `merged`; `finish` joins the chunks' print parts and logs it.
                "ALTER TABLE distributed_run DROP CONSTRAINT distributed_run_status_check",
                "ALTER TABLE distributed_run ADD CONSTRAINT distributed_run_status_check CHECK (status IN ('planned', 'merged', 'logged', 'failed'))",
                // One open (planned or merged) run per segment number: decides between racing coordinators.
                "DROP INDEX distributed_run_planned_segment_no",
                "CREATE UNIQUE INDEX distributed_run_open_segment_no ON distributed_run (lower(segment_no)) WHERE status IN ('planned', 'merged')",
                // The print parts a chunk's worker made (file names, SHA-256, page counts), recorded in the chunk's commit.
                "ALTER TABLE distributed_chunk ADD COLUMN parts jsonb",
                // Staged entries without a foreign key to their run: the key's check ran once per row (about as much work as the row
                // itself). The run exists by construction: its entries are inserted only in the transaction that holds its row
                // (`SELECT … FOR UPDATE`, DistributedQueue.completeOnce), and runs are never deleted.
                "ALTER TABLE distributed_entry DROP CONSTRAINT distributed_entry_run_id_fkey",
            ]
        ),
        (
            "distributed v4: each chunk's manifest rows",
            [
                // The manifest.csv rows of a chunk's letters, recorded in the chunk's commit: the worker that logs the run
                // joins them instead of resolving every line of the segment again.
                "ALTER TABLE distributed_chunk ADD COLUMN manifest_rows text"
            ]
        ),
    ]

    /// The text of the trigger's refusal (as the SQLite store's).
    static let alreadyLoggedMessage = "segment number already logged"

    /// Brings the database's schema up to date, once even when several processes start at once.
    static func migrate(_ session: PostgresSession) throws {
        try session.transaction { transaction in
            try transaction.query("SELECT pg_advisory_xact_lock(\(migrationLock))")
            try transaction.query("CREATE TABLE IF NOT EXISTS schema_migration (identifier text PRIMARY KEY, applied_at timestamptz NOT NULL)")
            let applied = Set(try transaction.query("SELECT identifier FROM schema_migration").map { try $0["identifier"].decode(String.self) })
            for migration in migrations where !applied.contains(migration.identifier) {
                for statement in migration.statements {
                    try transaction.query(PostgresQuery(unsafeSQL: statement))
                }
                try transaction.query("INSERT INTO schema_migration (identifier, applied_at) VALUES (\(migration.identifier), now())")
            }
        }
    }

    private static func list(_ values: [String]) -> String {
        values.map { "'\($0)'" }.joined(separator: ", ")
    }
}
