-- The person at the identity provider an account was first linked to (issue 19): its issuer and
-- subject. A later sign-in naming the account by the linking claim (a username or an e-mail,
-- which can change hands) must come from the same subject, and a subject links one account.
create table sso_link (
    account_id bigint primary key references account (account_id),
    issuer text not null,
    subject text not null,
    created_at bigint not null,
    unique (issuer, subject)
);
