-- Official identifiers of agencies, each valid over a period: the electronic identifier of
-- QĐ 20/2020/QĐ-TTg (scheme 'egov') and the administrative unit's code of QĐ 19/2025/QĐ-TTg
-- or QĐ 124/2004/QĐ-TTg (scheme 'admin'). Two agencies alive on the same day never share a
-- code of a scheme: the store checks it in the transaction that adds one.
create table unit_identifier (
    unit_identifier_id integer primary key autoincrement,
    unit_id bigint not null references unit (unit_id),
    scheme text not null,
    code text not null,
    valid_from text not null,
    valid_to text,
    created_at bigint not null,
    check (valid_to is null or valid_to >= valid_from)
);
create index unit_identifier_unit_idx on unit_identifier (unit_id);
create index unit_identifier_code_idx on unit_identifier (scheme, code);
