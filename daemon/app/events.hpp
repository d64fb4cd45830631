#pragma once
// Stable event ids: every warning and error log line starts with one. Operators alert on them,
// tests look for them; wording after the id may change, the id may not.

#include <string_view>

namespace arcd::app {

struct EventId {
  std::string_view id;
  std::string_view meaning;
};

inline constexpr EventId kEvents[] = {
    {"DAEMON_STARTED", "arcd is up: config, schema and listener ready (READY=1 sent)"},
    {"DAEMON_STOPPING", "a stop signal arrived; finishing work in flight"},
    {"DAEMON_STOPPED", "clean exit"},
    {"DAEMON_STOP_TIMEOUT", "work in flight did not finish within shutdown_timeout_seconds; cancelled"},
    {"DAEMON_START_FAILED", "start-up failed (config, database or listener); the message says which"},
    {"CFG_RELOADED", "SIGHUP: the new configuration is in force"},
    {"CFG_RELOAD_FAILED", "SIGHUP: the new configuration is invalid; the old one stays in force"},
    {"CFG_RELOAD_NEEDS_RESTART", "SIGHUP: a changed setting (database, http) takes effect only after a restart"},
    {"DB_MIGRATED", "schema migrations were applied at start"},
    {"DB_UNREACHABLE", "the database did not answer a readiness probe"},
    {"HTTP_LISTENING", "the HTTP server accepts connections"},
    {"HTTP_HANDLER_FAILED", "a request handler threw; the client got 500"},
    {"HTTP_OVERLOADED", "the worker queue is full; the client got 503"},
    {"HTTP_TLS_HANDSHAKE_FAILED", "a client's TLS handshake failed (debug level)"},
    {"API_TOKEN_REFUSED", "a request came with an unknown, revoked or expired token; it got 401"},
    {"API_AUDIT_FAILED", "a change request's audit record could not be written; the change itself stands"},
    {"API_IDEMPOTENCY_PURGED", "Idempotency-Key answers older than a day were forgotten"},
    {"WORKER_QUEUE_FULL", "a timer job was skipped because the worker queue is full"},
    {"TIMER_JOB_FAILED", "a periodic job threw; it runs again at its next tick"},
    {"TIMER_JOB_OVERRUN", "a periodic job was still running at its next tick; that tick is skipped"},
    {"IO_STALL", "the io_context did not run a probe within 100 ms: something blocks an io thread"},
    {"CSV_FILE_IMPORTED", "an invoice CSV was imported and archived"},
    {"CSV_FILE_REJECTED", "an invoice CSV was rejected and quarantined with an .error.txt"},
    {"CSV_IMPORT_RETRY", "an invoice CSV could not be stored (database); it stays for the next poll"},
    {"STMT_FILE_IMPORTED", "a bank statement file was stored and archived"},
    {"STMT_FILE_REJECTED", "a bank statement file was rejected and quarantined with an .error.txt"},
    {"STMT_IMPORT_PROGRESS", "a large statement file is being imported: how many MB of how many are done (every 64 MB)"},
    {"STMT_DUPLICATE_FILE", "a bank statement file identical to one imported before arrived again; nothing changed"},
    {"STMT_WARNING", "a statement was stored with a warning (balances that do not add up, a balance left out)"},
    {"STMT_IMPORT_RETRY", "a statement file could not be stored (database); it stays for the next poll"},
    {"STMT_SFTP_FETCHED", "files were fetched from an SFTP statement source into its inbox"},
    {"STMT_SFTP_FAILED", "an SFTP statement source could not be reached (connection, host key, authentication, listing)"},
    {"STMT_SFTP_FILE", "one file of an SFTP source was left on the server or not cleaned up there; the message says why"},
    {"STMT_UPLOAD_REJECTED", "POST /api/v1/statements got a file that cannot be imported; the client got 422"},
    {"CASHAPP_RUN", "a cash-application run finished: entries applied, queued, reversals, promises expired"},
    {"CASHAPP_PROGRESS", "a long cash-application run: entries done so far (every batch)"},
    {"CASHAPP_RUN_FAILED", "a cash-application run stopped on an error; its committed batches stay, the rest runs next time"},
    {"CASHAPP_INVARIANT_VIOLATED", "the cash invariant does not hold: a cent is unaccounted for (names the entry or invoice)"},
    {"CASHAPP_MANUAL", "a person applied, put on account, marked or reversed cash (who, what)"},
    {"TMS_FEED_SNAPSHOT", "an inflow feed snapshot was taken and queued for treasury (version, flows, why: schedule or cash application)"},
    {"TMS_FEED_SNAPSHOT_FAILED", "an inflow feed snapshot (scheduled or after cash application) could not be taken: the forecast or the database failed; the next one tries again"},
    {"TMS_FEED_DELIVERED", "a treasury system took the newest snapshot (flows, removed references, receipts, older snapshots it superseded)"},
    {"TMS_FEED_RETRY", "a treasury system did not take the feed (down, 5xx, refused signature); it is tried again after a backoff"},
    {"TMS_FEED_DEAD", "a treasury system refused a feed for good (4xx) or it failed too often; a person looks (arcctl outbox), newer snapshots still go"},
    {"TMS_FEED_PRUNED", "inflow feed snapshots every treasury system has moved past were dropped (how many)"},
    {"SD_NOTIFY_FAILED", "the systemd notify socket did not accept a message"},
};

}  // namespace arcd::app
