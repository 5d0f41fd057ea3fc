-- The cron's look-up of numbers left unverified past UNVERIFIED_NUMBER_RELEASE_DAYS
-- (src/core/numbers/release.ts), without a scan of every deployment each minute.
CREATE INDEX deployments_unverified ON deployments(created_at)
  WHERE state IN ('INITIALIZING', 'CREATING_CLUSTER', 'CLUSTER_CREATED', 'CODE_SENT', 'WRONG_CODE', 'ERROR');
