-- A number that moves whenever an agency, its identifiers, its successions or the groups change,
-- in the same transaction as the change. App servers keep the agencies in memory and read them
-- again only when the number has moved (issue 18: reading every agency was most of a page).
-- It moves to the time of the change in microseconds when that is larger, so that a database
-- restored from an older backup never comes back to a number a server has already seen with
-- other agencies.
create table agency_generation (generation bigint not null);
insert into agency_generation (generation) values (0);

create function agency_generation_bump() returns trigger language plpgsql as $$
begin
    update agency_generation
        set generation = greatest(generation + 1, (extract(epoch from clock_timestamp()) * 1000000)::bigint);
    return null;
end
$$;

create trigger unit_generation after insert or update or delete on unit
    for each statement execute function agency_generation_bump();
create trigger unit_identifier_generation after insert or update or delete on unit_identifier
    for each statement execute function agency_generation_bump();
create trigger unit_succession_generation after insert or update or delete on unit_succession
    for each statement execute function agency_generation_bump();
create trigger unit_group_generation after insert or update or delete on unit_group
    for each statement execute function agency_generation_bump();
