-- Meetings at which an agency disseminated documents from the library to its officials.
create table dissemination (
    dissemination_id integer primary key autoincrement,
    unit_id bigint not null references unit (unit_id),
    held_on text not null,
    form text not null,
    participants bigint not null check (participants > 0),
    created_by text not null,
    created_at bigint not null
);
create index dissemination_unit_idx on dissemination (unit_id, held_on);

create table dissemination_document (
    dissemination_id bigint not null references dissemination (dissemination_id),
    document_id bigint not null references document (document_id),
    primary key (dissemination_id, document_id)
);
create index dissemination_document_idx on dissemination_document (document_id);
