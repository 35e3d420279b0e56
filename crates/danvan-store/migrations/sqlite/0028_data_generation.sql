-- The official data's own generation (issue 18): how many audit records changed official data,
-- and the hash of the last of them, moved by the same transaction that writes them. Sign-ins,
-- reads and exports leave their records in the chain too, but change nothing a page works out,
-- so pages keep what they worked out across them. A database migrated here starts both at
-- their defaults: no server keeps anything across a restart.
alter table audit_head add column data_count bigint not null default 0;
alter table audit_head add column data_hash text not null default '';
