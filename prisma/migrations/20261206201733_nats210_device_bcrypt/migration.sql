-- The NATS broker tier (issue 13 item 1): NATS 2.9 verifies bcrypt password hashes, not Mosquitto's $7$ PBKDF2,
-- and has no auth callout, so a device provisioned from now on also stores its secret as bcrypt. Nullable:
-- the secret of an existing device is not known any more (only its hash), so it cannot be converted.
ALTER TABLE "devices" ADD COLUMN "natsCredentialHash" TEXT;
