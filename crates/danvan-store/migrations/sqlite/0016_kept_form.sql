-- What a user typed into a form posted after their session had ended (issue 11): kept only when
-- the post carried that session's CSRF token, restored into the same form after the same
-- account signs in again, never replayed, then deleted; a day at most.
create table kept_form (
    kept_form_id integer primary key autoincrement,
    account_id bigint not null references account (account_id) on delete cascade,
    -- The page whose form is filled in again (a path of this site).
    return_to text not null,
    -- The fields as a JSON array of [name, value] pairs; files are never kept.
    fields_json text not null,
    created_at bigint not null
);
create index kept_form_account_idx on kept_form (account_id);
