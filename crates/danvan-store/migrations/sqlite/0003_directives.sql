-- Days the government moved for a year: a Saturday worked, a bridge day off.
create table calendar_adjustment (
    day text primary key,
    working integer not null,
    note text not null,
    created_by text not null,
    created_at bigint not null
);

create table directive (
    directive_id integer primary key autoincrement,
    document_id bigint references document (document_id),
    title text not null,
    document_date text not null,
    created_by text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index directive_document_idx on directive (document_id);

create table task (
    task_id integer primary key autoincrement,
    directive_id bigint not null references directive (directive_id),
    position bigint not null,
    content text not null,
    monitor_unit_id bigint references unit (unit_id),
    deadline_rule text not null,
    due_on text,
    created_at bigint not null,
    unique (directive_id, position)
);

-- One agency's part in a task. completed_on and first_report_on are derived from the reports
-- (set when a report is submitted or accepted), never typed.
create table assignment (
    assignment_id integer primary key autoincrement,
    task_id bigint not null references task (task_id),
    -- The task's directive, repeated here so that the board counts without a join.
    directive_id bigint not null references directive (directive_id),
    unit_id bigint not null references unit (unit_id),
    role text not null,
    received_on text not null,
    due_on text not null,
    first_report_on text,
    completed_on text,
    created_at bigint not null,
    unique (task_id, unit_id),
    check (role in ('lead', 'support'))
);
-- Cover the board's counts per agency and per directive, so that they read an index of the lead
-- assignments alone, in the order they group by; and the overdue list, read in deadline order
-- from the open ones.
-- (Each holds every column the board reads, role last, so that a query reads the index alone.)
create index assignment_board_idx on assignment (unit_id, due_on, completed_on, first_report_on, directive_id, role)
    where role = 'lead';
create index assignment_board_directive_idx on assignment (directive_id, unit_id, due_on, completed_on, first_report_on, role)
    where role = 'lead';
create index assignment_open_due_idx on assignment (due_on) where completed_on is null and role = 'lead';

create table progress_report (
    progress_report_id integer primary key autoincrement,
    assignment_id bigint not null references assignment (assignment_id),
    account_id bigint not null references account (account_id),
    reported_on text not null,
    percent bigint not null,
    content text not null,
    status text not null,
    reviewed_by bigint references account (account_id),
    reviewed_at bigint,
    review_comment text,
    created_at bigint not null,
    check (percent between 0 and 100),
    check (status in ('submitted', 'accepted', 'returned'))
);
create index progress_report_assignment_idx on progress_report (assignment_id);

create table report_attachment (
    report_attachment_id integer primary key autoincrement,
    progress_report_id bigint not null references progress_report (progress_report_id),
    file_sha256 text not null references stored_file (sha256),
    file_name text not null,
    content_type text not null,
    size_bytes bigint not null
);

-- Reminders, at most one per assignment, kind and day: the job can run again safely.
create table reminder (
    reminder_id integer primary key autoincrement,
    assignment_id bigint not null references assignment (assignment_id),
    kind text not null,
    for_day text not null,
    emailed_at bigint,
    created_at bigint not null,
    unique (assignment_id, kind, for_day)
);

-- Which scheduled job ran for which day: the first server to insert the row runs it.
create table job_run (
    job text not null,
    day text not null,
    started_at bigint not null,
    finished_at bigint,
    primary key (job, day)
);
