-- Full-text search over a large library (BENCHMARKS.md: the library search on PostgreSQL).
--
-- The full-text indexes take each new row into their posting lists at once (fastupdate off)
-- rather than into a pending list that every search reads whole until a vacuum merges it. After
-- documents were added in bulk, a search for a rare word spent 2.5 to 5.6 ms reading that list,
-- against 0.1 to 0.2 ms once it was merged. Documents and initiatives are added one at a time,
-- at a clerk's pace, where the direct update costs nothing that shows.
alter index document_search_idx set (fastupdate = off);
alter index initiative_search_idx set (fastupdate = off);
select gin_clean_pending_list('document_search_idx'::regclass);
select gin_clean_pending_list('initiative_search_idx'::regclass);

-- Each row's search vector is kept in the row (storage main) rather than out of line: a search
-- that matches many documents walks the newest and tests each one's vector, and out of line each
-- test cost three more page reads (3.4 ms for the newest 500 matches, against 0.9 ms). The
-- tables are rewritten once so that the rows already there move their vectors in.
alter table document alter column search_vector set storage main;
alter table initiative alter column search_vector set storage main;
cluster document using document_pkey;
cluster initiative using initiative_pkey;
