-- A person holds at most one active certificate per credential (course). Passing a test
-- again used to issue a second one; such duplicates are revoked here (the first issued is
-- kept, with its membership), then a partial unique index makes a duplicate impossible.
UPDATE certificates
   SET status = 'revoked',
       revoked_at = COALESCE(revoked_at, issued_at),
       revoked_reason = 'Issued twice by mistake; the first certificate stays valid.'
 WHERE status = 'active'
   AND EXISTS (SELECT 1 FROM certificates first
                WHERE first.user_id = certificates.user_id
                  AND first.course_id = certificates.course_id
                  AND first.status = 'active'
                  AND first.id < certificates.id);

UPDATE memberships
   SET status = 'ended', ended_at = COALESCE(ended_at, (SELECT revoked_at FROM certificates c WHERE c.id = memberships.certificate_id))
 WHERE status = 'active'
   AND certificate_id IN (SELECT id FROM certificates WHERE status <> 'active');

CREATE UNIQUE INDEX certificates_one_active ON certificates (user_id, course_id) WHERE status = 'active';
