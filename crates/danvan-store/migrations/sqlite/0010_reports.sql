-- Periodic reports: kinds (kept as their TOML source, never updated), rounds (one per kind and
-- period, with its cut-off window and deadline), each obliged agency's filing, its files, and
-- the Department's compiled text of the province's report.
create table report_kind (
    report_kind_id integer primary key autoincrement,
    code text not null unique,
    name text not null,
    period_type text not null check (period_type in ('month', 'quarter', 'half_year', 'year')),
    source text not null,
    source_sha256 text not null,
    created_by text not null,
    created_at bigint not null
);

create table report_round (
    report_round_id integer primary key autoincrement,
    report_kind_id bigint not null references report_kind (report_kind_id),
    period_code text not null,
    window_from text not null,
    window_to text not null,
    deadline text not null,
    state text not null check (state in ('open', 'closed')),
    opened_by text not null,
    opened_at bigint not null,
    unique (report_kind_id, period_code)
);

create table report_filing (
    report_filing_id integer primary key autoincrement,
    report_round_id bigint not null references report_round (report_round_id),
    unit_id bigint not null references unit (unit_id),
    state text not null check (state in ('draft', 'submitted', 'accepted', 'returned')),
    -- JSON objects: section id to text; indicator id to {value, prefilled, note}.
    sections text not null,
    figures text not null,
    warnings_note text not null,
    first_submitted_on text,
    submitted_on text,
    review_comment text,
    updated_by text not null,
    updated_at bigint not null,
    unique (report_round_id, unit_id)
);
create index report_filing_unit_idx on report_filing (unit_id);

create table report_filing_file (
    report_filing_file_id integer primary key autoincrement,
    report_filing_id bigint not null references report_filing (report_filing_id),
    file_sha256 text not null references stored_file (sha256),
    file_name text not null,
    content_type text not null,
    size_bytes bigint not null,
    created_by text not null,
    created_at bigint not null
);
create index report_filing_file_idx on report_filing_file (report_filing_id);

create table report_compilation (
    report_round_id bigint primary key references report_round (report_round_id),
    sections text not null,
    updated_by text not null,
    updated_at bigint not null
);
