-- A deadline moved because the holiday schedule changed, rather than extended by hand: such
-- parts are recomputed again at the next change; a part extended by hand never moves again.
alter table deadline_change add column automatic integer not null default 0;
