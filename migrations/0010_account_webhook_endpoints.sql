-- The account's webhook URL (toKABOLA's `webhook`) is delivered through an ordinary endpoint row,
-- written with the account and kept in step with accounts.webhook_url (src/core/accounts/), no
-- longer read from the account at each attempt nor made on first use. This brings existing data
-- to that rule: a row's URL is the account's, and an account with a URL and no row gets one.
-- Existing rows keep their ids (tkb_<account id>), so deliveries and secrets stay as they were.

UPDATE webhook_endpoints
SET url = (SELECT a.webhook_url FROM accounts a WHERE a.id = webhook_endpoints.account_id),
    updated_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE format = 'tokabola' AND deleted_at IS NULL;

INSERT INTO webhook_endpoints (id, account_id, format, url, secret_version, created_at, updated_at)
SELECT 'whe_' || lower(hex(randomblob(16))), a.id, 'tokabola', a.webhook_url, 0,
       CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM accounts a
WHERE a.webhook_url IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.account_id = a.id AND e.format = 'tokabola' AND e.deleted_at IS NULL);

-- Every format but the listed one (native) has at most one live endpoint per account, or per
-- number: the account's own webhook now included.
DROP INDEX webhook_endpoints_one_config;
CREATE UNIQUE INDEX webhook_endpoints_one_config ON webhook_endpoints(account_id, format, COALESCE(phone_number_id, ''))
  WHERE deleted_at IS NULL AND format != 'native';
