-- The leader each agency assigns to its mobilization work, over time. A new assignment ends
-- the previous one the day before it starts; rows are never deleted.
create table responsible_leader (
    responsible_leader_id integer primary key autoincrement,
    unit_id bigint not null references unit (unit_id),
    name text not null,
    position text not null,
    decision text not null,
    valid_from text not null,
    valid_to text,
    created_by text not null,
    created_at bigint not null,
    check (valid_to is null or valid_to >= valid_from)
);
create index responsible_leader_unit_idx on responsible_leader (unit_id, valid_from);
