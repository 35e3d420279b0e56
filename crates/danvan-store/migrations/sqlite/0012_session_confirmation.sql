-- When a session's user last typed their password again (a sensitive action asks for it when
-- the sign-in is older than a few minutes). Goes with its session.
create table session_confirmation (
    session_id text primary key references session (session_id) on delete cascade,
    confirmed_at bigint not null
);
