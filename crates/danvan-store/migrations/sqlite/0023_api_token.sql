-- Tokens other systems call the API with (issue 19). A token acts as one account (its role and
-- agency), narrowed by its scopes; only the SHA-256 of the secret is kept.
create table api_token (
    api_token_id integer primary key autoincrement,
    name text not null,
    token_hash text not null unique,
    account_id bigint not null references account (account_id),
    scopes text not null,
    expires_at bigint not null,
    created_by bigint references account (account_id),
    created_at bigint not null,
    revoked_at bigint,
    revoked_by bigint references account (account_id),
    last_used_at bigint
);
create unique index api_token_name on api_token (name);
create index api_token_account on api_token (account_id);

-- The API's list of an agency's assignments, page by page in id order.
create index assignment_unit_id_idx on assignment (unit_id, assignment_id);
