-- Evaluation rubric versions. A row is never updated: a change is a new version with a new
-- code. The source is the file as uploaded; everything else is read from it when shown.
create table rubric_version (
    rubric_version_id integer primary key autoincrement,
    code text not null unique,
    title text not null,
    sample integer not null,
    decision text not null,
    valid_from text not null,
    valid_to text,
    source text not null,
    source_sha256 text not null,
    uploaded_by text not null,
    uploaded_at bigint not null
);
