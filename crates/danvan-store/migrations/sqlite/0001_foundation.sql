create table install_meta (
    key text primary key,
    value text not null
);

create table unit_group (
    unit_group_id integer primary key autoincrement,
    code text not null unique,
    name text not null,
    sort_order bigint not null default 0,
    created_at bigint not null
);

create table unit (
    unit_id integer primary key autoincrement,
    code text not null unique,
    name text not null,
    short_name text not null,
    kind text not null,
    parent_id bigint references unit (unit_id),
    unit_group_id bigint references unit_group (unit_group_id),
    valid_from text not null,
    valid_to text,
    created_at bigint not null,
    updated_at bigint not null,
    check (valid_to is null or valid_to >= valid_from)
);
create index unit_parent_idx on unit (parent_id);

create table unit_succession (
    unit_succession_id integer primary key autoincrement,
    predecessor_id bigint not null references unit (unit_id),
    successor_id bigint not null references unit (unit_id),
    kind text not null,
    effective_on text not null,
    created_at bigint not null,
    unique (predecessor_id, successor_id),
    check (predecessor_id <> successor_id)
);
create index unit_succession_successor_idx on unit_succession (successor_id);

create table account (
    account_id integer primary key autoincrement,
    username text not null unique,
    display_name text not null,
    role text not null,
    unit_id bigint references unit (unit_id),
    password_hash text not null,
    must_change_password integer not null default 0,
    disabled integer not null default 0,
    failed_logins bigint not null default 0,
    locked_until bigint,
    last_login_at bigint,
    created_at bigint not null,
    updated_at bigint not null
);

create table session (
    session_id text primary key,
    account_id bigint not null references account (account_id) on delete cascade,
    csrf_token text not null,
    ip text,
    created_at bigint not null,
    last_seen_at bigint not null
);
create index session_account_idx on session (account_id);

create table login_failure (
    login_failure_id integer primary key autoincrement,
    username text not null,
    ip text not null,
    created_at bigint not null
);
create index login_failure_ip_idx on login_failure (ip, created_at);

create table audit_head (
    audit_head_id bigint primary key,
    last_hash text not null,
    record_count bigint not null
);
insert into audit_head (audit_head_id, last_hash, record_count)
values (1, '0000000000000000000000000000000000000000000000000000000000000000', 0);

create table audit_log (
    audit_log_id integer primary key autoincrement,
    created_at bigint not null,
    account_id bigint,
    actor text not null,
    ip text,
    action text not null,
    object_type text not null,
    object_id text not null,
    before_json text,
    after_json text,
    prev_hash text not null,
    hash text not null
);
create index audit_log_object_idx on audit_log (object_type, object_id);
create index audit_log_created_idx on audit_log (created_at);

-- The audit log is append-only: the database itself refuses to change or remove a record.
create trigger audit_log_no_update before update on audit_log
begin
    select raise(abort, 'audit_log is append-only');
end;
create trigger audit_log_no_delete before delete on audit_log
begin
    select raise(abort, 'audit_log is append-only');
end;
