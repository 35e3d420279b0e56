-- One evaluation per year and group of agencies, against one rubric version.
create table evaluation_cycle (
    evaluation_cycle_id integer primary key autoincrement,
    year bigint not null,
    unit_group_id bigint not null references unit_group (unit_group_id),
    rubric_version_id bigint not null references rubric_version (rubric_version_id),
    self_deadline text not null,
    appraisal_deadline text not null,
    state text not null,
    created_by text not null,
    created_at bigint not null,
    unique (year, unit_group_id)
);

-- One agency's assessment in a cycle.
create table assessment (
    assessment_id integer primary key autoincrement,
    evaluation_cycle_id bigint not null references evaluation_cycle (evaluation_cycle_id),
    unit_id bigint not null references unit (unit_id),
    state text not null,
    submissions bigint not null default 0,
    return_reason text,
    -- Every item's kind, id, submitted and appraised value, packed (fields split by U+001F,
    -- items by U+001E) in the same transaction that changes them, so that scoring a cycle reads
    -- one row per agency. Rebuilt from assessment_item by Store::repack_cycle.
    items_pack text not null default '',
    updated_at bigint not null,
    unique (evaluation_cycle_id, unit_id)
);

-- One scored item of an assessment: a criterion, a bonus or penalty item, or a veto. Values are
-- answers written as text ("p:1250" points in hundredths, "y:1" yes, "n:3" occurrences).
-- submitted_value is the value at the last submission, previous_value the one before it, so the
-- appraiser sees what changed.
create table assessment_item (
    assessment_id bigint not null references assessment (assessment_id),
    kind text not null,
    item_id text not null,
    self_value text,
    self_note text not null default '',
    evidence_sha256 text references stored_file (sha256),
    evidence_name text,
    submitted_value text,
    previous_value text,
    appraised_value text,
    appraisal_comment text not null default '',
    appraised_by text,
    primary key (assessment_id, kind, item_id)
);

-- The results as finalized: frozen, so that a later change of rubric or agency never rewrites
-- a published year.
create table evaluation_result (
    evaluation_cycle_id bigint not null references evaluation_cycle (evaluation_cycle_id),
    unit_id bigint not null references unit (unit_id),
    self_total bigint,
    total bigint not null,
    band text not null,
    band_title text not null,
    rank bigint not null,
    explanation text not null,
    primary key (evaluation_cycle_id, unit_id)
);
