-- A number that moves whenever an agency, its identifiers, its successions or the groups change,
-- in the same transaction as the change. App servers keep the agencies in memory and read them
-- again only when the number has moved (issue 18: reading every agency was most of a page).
-- It moves to the time of the change in microseconds when that is larger, so that a database
-- restored from an older backup never comes back to a number a server has already seen with
-- other agencies.
create table agency_generation (generation bigint not null);
insert into agency_generation (generation) values (0);

create trigger unit_generation_insert after insert on unit begin update agency_generation set generation = max(generation + 1, cast((julianday('now') - 2440587.5) * 86400000000 as integer)); end;
create trigger unit_generation_update after update on unit begin update agency_generation set generation = max(generation + 1, cast((julianday('now') - 2440587.5) * 86400000000 as integer)); end;
create trigger unit_generation_delete after delete on unit begin update agency_generation set generation = max(generation + 1, cast((julianday('now') - 2440587.5) * 86400000000 as integer)); end;
create trigger unit_identifier_generation_insert after insert on unit_identifier begin update agency_generation set generation = max(generation + 1, cast((julianday('now') - 2440587.5) * 86400000000 as integer)); end;
create trigger unit_identifier_generation_update after update on unit_identifier begin update agency_generation set generation = max(generation + 1, cast((julianday('now') - 2440587.5) * 86400000000 as integer)); end;
create trigger unit_identifier_generation_delete after delete on unit_identifier begin update agency_generation set generation = max(generation + 1, cast((julianday('now') - 2440587.5) * 86400000000 as integer)); end;
create trigger unit_succession_generation_insert after insert on unit_succession begin update agency_generation set generation = max(generation + 1, cast((julianday('now') - 2440587.5) * 86400000000 as integer)); end;
create trigger unit_succession_generation_update after update on unit_succession begin update agency_generation set generation = max(generation + 1, cast((julianday('now') - 2440587.5) * 86400000000 as integer)); end;
create trigger unit_succession_generation_delete after delete on unit_succession begin update agency_generation set generation = max(generation + 1, cast((julianday('now') - 2440587.5) * 86400000000 as integer)); end;
create trigger unit_group_generation_insert after insert on unit_group begin update agency_generation set generation = max(generation + 1, cast((julianday('now') - 2440587.5) * 86400000000 as integer)); end;
create trigger unit_group_generation_update after update on unit_group begin update agency_generation set generation = max(generation + 1, cast((julianday('now') - 2440587.5) * 86400000000 as integer)); end;
create trigger unit_group_generation_delete after delete on unit_group begin update agency_generation set generation = max(generation + 1, cast((julianday('now') - 2440587.5) * 86400000000 as integer)); end;
