-- Files kept as uploaded, addressed by their SHA-256.
create table stored_file (
    sha256 text primary key,
    size_bytes bigint not null,
    content_type text not null,
    content blob not null,
    created_at bigint not null
);

-- The library. A row without full text is a citation-only entry ("chưa có toàn văn"), made from
-- a citation and upgraded in place when the document itself arrives.
create table document (
    document_id integer primary key autoincrement,
    doc_type text,
    number text,
    symbol text,
    number_key text,
    year bigint,
    issuer text,
    parent_issuer text,
    place text,
    issued_on text,
    subject text,
    signer_name text,
    signer_title text,
    signer_authority text,
    recipients_json text not null default '[]',
    tasks_json text not null default '[]',
    distribution_json text not null default '[]',
    warnings_json text not null default '[]',
    body_text text not null default '',
    has_full_text integer not null default 0,
    file_sha256 text references stored_file (sha256),
    file_name text,
    search_text text not null default '',
    created_at bigint not null,
    updated_at bigint not null
);
create unique index document_identity_idx on document (number_key, year);
create index document_type_idx on document (doc_type);
create index document_year_idx on document (year);

create table citation (
    citation_id integer primary key autoincrement,
    document_id bigint not null references document (document_id),
    position bigint not null,
    doc_type text,
    number text not null,
    symbol text not null,
    number_key text not null,
    cited_on text,
    cited_year bigint,
    issuer_text text,
    -- The position of the citation whose clause names this one as what it carries out.
    carried_out_by_position bigint,
    unique (document_id, position)
);
create index citation_key_idx on citation (number_key);

create table addressee (
    addressee_id integer primary key autoincrement,
    document_id bigint not null references document (document_id),
    position bigint not null,
    text text not null,
    text_key text not null,
    unique (document_id, position)
);
create index addressee_key_idx on addressee (text_key);

-- What a person said an addressee line means, remembered for the next document.
create table addressee_mapping (
    text_key text primary key,
    text text not null,
    unit_id bigint references unit (unit_id),
    unit_group_id bigint references unit_group (unit_group_id),
    created_by text not null,
    created_at bigint not null,
    check (unit_id is not null or unit_group_id is not null)
);

-- Full-text search over the folded text (no marks, đ as d), kept in step by triggers.
create virtual table document_fts using fts5(search_text, content = 'document', content_rowid = 'document_id');
create trigger document_fts_insert after insert on document begin
    insert into document_fts (rowid, search_text) values (new.document_id, new.search_text);
end;
create trigger document_fts_update after update of search_text on document begin
    insert into document_fts (document_fts, rowid, search_text) values ('delete', old.document_id, old.search_text);
    insert into document_fts (rowid, search_text) values (new.document_id, new.search_text);
end;
create trigger document_fts_delete after delete on document begin
    insert into document_fts (document_fts, rowid, search_text) values ('delete', old.document_id, old.search_text);
end;
