-- A campaign's Idempotency-Key answers the campaign it created only for the same request: the
-- hash of the request's meaning is kept beside the key; a different request with it is a conflict.
-- Campaigns created before this column have none and keep replaying as before.
ALTER TABLE campaigns ADD COLUMN request_hash TEXT;
