-- A second factor: each account's TOTP secret (base32) once enabled, and the last time step a
-- code was accepted for, so that no code works twice.
alter table account add column totp_secret text;
alter table account add column totp_last_step bigint;
