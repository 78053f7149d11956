-- Who sent an invitation to a case: the invitee sees it before accepting (the list's
-- `invitation_from`), so that an invitation from a stranger can be told apart. The account,
-- not a copy of its address: an account removed leaves the invitation without a sender.
-- Invitations sent before this column have none. The list names the case's applicant too.
ALTER TABLE application_party
    ADD COLUMN invited_by bigint REFERENCES account.app_user (id) ON DELETE SET NULL;
