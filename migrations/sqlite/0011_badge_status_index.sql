-- Each certificate's position in the public revocation list (W3C Bitstring Status List),
-- published in its Open Badges credential: given once at issue and never changed, so the
-- bit a verifier reads is always this certificate's.

ALTER TABLE certificates ADD COLUMN status_index INTEGER;
UPDATE certificates SET status_index = id - 1;
CREATE UNIQUE INDEX certificates_status_index ON certificates (status_index);

-- The next free position. Issuing takes it with UPDATE ... RETURNING inside its write
-- transaction, as the certificate numbers are taken.
CREATE TABLE status_list_counter (
    list       TEXT PRIMARY KEY,
    next_index INTEGER NOT NULL
);
INSERT INTO status_list_counter (list, next_index)
SELECT 'revocation', COALESCE(MAX(status_index) + 1, 0) FROM certificates;
