-- "Dân vận khéo" initiatives, their lifecycle events and files; training plans, courses,
-- attendance and each agency's headcount per category.
create table initiative (
    initiative_id integer primary key autoincrement,
    unit_id bigint not null references unit (unit_id),
    kind text not null check (kind in ('collective', 'individual')),
    field text not null check (field in ('economy', 'culture_society', 'defence_security', 'political_system')),
    name text not null,
    area text not null,
    beneficiaries text not null,
    led_by text not null,
    members text not null,
    situation text not null,
    goals text not null,
    criteria text not null,
    content text not null,
    resources text not null,
    starts_on text not null,
    ends_on text not null,
    outputs text not null,
    sustainability text not null,
    -- Whether the names of who leads and who takes part may be shown in the public gallery.
    people_public integer not null,
    stage text not null check (stage in ('registered', 'launched', 'in_progress', 'interim_reviewed',
        'final_reviewed', 'recognised', 'commended', 'stopped')),
    registered_on text not null,
    recognised_level text check (recognised_level in ('commune', 'district', 'province')),
    recognised_on text,
    recognised_decision text,
    replicated_from bigint references initiative (initiative_id),
    search_text text not null,
    created_by text not null,
    created_at bigint not null,
    check (ends_on >= starts_on)
);
create index initiative_unit_idx on initiative (unit_id, registered_on);
-- The gallery walks recognised initiatives newest first by id; a year filter reads this.
create index initiative_recognised_idx on initiative (recognised_on);
create index initiative_replicated_idx on initiative (replicated_from);

-- Full-text search over the folded text (no marks, đ as d), kept in step by triggers.
create virtual table initiative_fts using fts5(search_text, content = 'initiative', content_rowid = 'initiative_id');
create trigger initiative_fts_insert after insert on initiative begin
    insert into initiative_fts (rowid, search_text) values (new.initiative_id, new.search_text);
end;
create trigger initiative_fts_update after update of search_text on initiative begin
    insert into initiative_fts (initiative_fts, rowid, search_text) values ('delete', old.initiative_id, old.search_text);
    insert into initiative_fts (rowid, search_text) values (new.initiative_id, new.search_text);
end;

-- Every step of the lifecycle, with its date, its results or decision. Never updated.
create table initiative_event (
    initiative_event_id integer primary key autoincrement,
    initiative_id bigint not null references initiative (initiative_id),
    step text not null,
    stage_after text not null,
    happened_on text not null,
    note text not null,
    decision text,
    level text,
    created_by text not null,
    created_at bigint not null
);
create index initiative_event_idx on initiative_event (initiative_id, initiative_event_id);

create table initiative_file (
    initiative_file_id integer primary key autoincrement,
    initiative_id bigint not null references initiative (initiative_id),
    file_sha256 text not null references stored_file (sha256),
    file_name text not null,
    content_type text not null,
    size_bytes bigint not null,
    created_by text not null,
    created_at bigint not null
);
create index initiative_file_idx on initiative_file (initiative_id);

create table training_plan (
    unit_id bigint not null references unit (unit_id),
    year bigint not null,
    content text not null,
    planned_courses bigint not null check (planned_courses >= 0),
    planned_people bigint not null check (planned_people >= 0),
    updated_by text not null,
    updated_at bigint not null,
    primary key (unit_id, year)
);

create table unit_headcount (
    unit_id bigint not null references unit (unit_id),
    year bigint not null,
    can_bo bigint not null check (can_bo >= 0),
    cong_chuc bigint not null check (cong_chuc >= 0),
    vien_chuc bigint not null check (vien_chuc >= 0),
    updated_by text not null,
    updated_at bigint not null,
    primary key (unit_id, year)
);

create table training_course (
    training_course_id integer primary key autoincrement,
    unit_id bigint not null references unit (unit_id),
    title text not null,
    topic text not null,
    starts_on text not null,
    ends_on text not null,
    place text not null,
    organiser text not null,
    trainers text not null,
    created_by text not null,
    created_at bigint not null,
    check (ends_on >= starts_on)
);
create index training_course_unit_idx on training_course (unit_id, starts_on);
create index training_course_year_idx on training_course (starts_on);

create table training_attendance (
    training_attendance_id integer primary key autoincrement,
    training_course_id bigint not null references training_course (training_course_id),
    unit_id bigint not null references unit (unit_id),
    name text not null,
    position text not null,
    category text not null check (category in ('can_bo', 'cong_chuc', 'vien_chuc')),
    -- The folded name and position: one official counted once however often trained.
    person_key text not null,
    created_by text not null,
    created_at bigint not null
);
create index training_attendance_course_idx on training_attendance (training_course_id);
create index training_attendance_unit_idx on training_attendance (unit_id);
