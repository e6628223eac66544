"""PostgreSQL advisory lock keys (storage.sql.migrate has the migration one)."""

SYNC_LOCK, DIGEST_LOCK = 7461234003, 7461234002

