-- Single sign-on (issue 19). An attempt to sign in (or to confirm the signed-in user) through the
-- province's identity provider, kept from the redirect to the callback and used once: the hash of
-- its state, its nonce and PKCE verifier, where to go next. An admin who must still give danvan's
-- own second factor has an attempt of purpose 'totp' naming the account.
create table oidc_attempt (
    state_hash text primary key,
    purpose text not null,
    nonce text not null,
    verifier text not null,
    next text not null,
    account_id bigint references account (account_id),
    session_id text,
    created_at bigint not null,
    used_at bigint
);
create index oidc_attempt_created_idx on oidc_attempt (created_at);

-- The sessions opened through the provider, with the subject it named: such a user confirms a
-- sensitive step at the provider, not with a password. Goes with its session.
create table sso_session (
    session_id text primary key references session (session_id) on delete cascade,
    subject text not null
);
