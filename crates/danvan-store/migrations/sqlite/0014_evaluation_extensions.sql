-- A cycle's deadlines extended by the Department, for the whole cycle (unit_id null) or for one
-- agency, with the reason. The latest that applies is the deadline in force.
create table evaluation_extension (
    evaluation_extension_id integer primary key autoincrement,
    evaluation_cycle_id bigint not null references evaluation_cycle (evaluation_cycle_id),
    unit_id bigint references unit (unit_id),
    kind text not null check (kind in ('self', 'appraisal')),
    until text not null,
    reason text not null,
    created_by text not null,
    created_at bigint not null
);
create index evaluation_extension_cycle_idx on evaluation_extension (evaluation_cycle_id);
