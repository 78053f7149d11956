-- One audit row: who read which units' personal owner data, through which endpoint.
-- Parameters: user_id, user_email, role, endpoint, property_ids (text[]), application_id
INSERT INTO audit.disclosure (user_id, user_email, role, endpoint, property_ids, application_id)
VALUES (:user_id, :user_email, :role, :endpoint, CAST(:property_ids AS text[]), :application_id);
