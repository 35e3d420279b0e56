-- PostgreSQL's full-text indexes and search vectors are laid out for speed here (see the
-- PostgreSQL migration of the same number). SQLite's FTS5 tables merge their own segments and
-- keep no vector per row: nothing changes here.
select 1;
