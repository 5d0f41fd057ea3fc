-- Whether message statuses go to an endpoint. The account's own webhook (toKABOLA's `webhook`,
-- whose documented GETs carry customer messages only) takes them only when the account opts in
-- (PUT /api/v1/account/settings); every other endpoint takes them as before.
ALTER TABLE webhook_endpoints ADD COLUMN statuses INTEGER NOT NULL DEFAULT 1;
UPDATE webhook_endpoints SET statuses = 0 WHERE format = 'tokabola';
