-- 0028 started the data generation at 0 and '' on every database it migrated, so two databases
-- with no change of data since (a backup restored under a running server, say) had the same
-- generation, and a server could keep pages worked out from the other. A database with no
-- change of data since 0028 starts it instead from its audit chain's count and last hash,
-- which differ between databases of different histories.
update audit_head set data_count = record_count, data_hash = last_hash
where data_count = 0 and data_hash = '';
