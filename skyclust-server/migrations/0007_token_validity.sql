-- Deactivating a user invalidates every token (JWT or API key) issued before it, so that
-- reactivating the account does not bring old tokens back to life. NULL: never deactivated.
ALTER TABLE users ADD COLUMN tokens_valid_after TEXT;
