-- A link that grants something (verify an address, reset a password) is kept apart from the
-- message body: the sender puts it into the body when it sends, and sets it to NULL once the
-- message is sent (or given up), so that no usable link stays in the database or its backups.
ALTER TABLE outbox ADD COLUMN secret_link TEXT;

-- Messages sent before this change still carry their link in the body: the outbox is a
-- queue, not an archive, so they go.
DELETE FROM outbox WHERE sent_at IS NOT NULL AND kind IN ('verify_email', 'reset_password');
