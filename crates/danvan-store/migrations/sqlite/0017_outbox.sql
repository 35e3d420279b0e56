-- Messages waiting to leave danvan (issue 14): e-mail now, packages to the e-office later. A
-- sender claims one message for a while (claimed_until) so that several servers on one database
-- never send it together; a failed send is tried again later (next_attempt_at, back-off), and
-- after the last attempt the message stays, state 'failed', for the administrator to see.
create table outbox (
    outbox_id integer primary key autoincrement,
    -- 'mail'.
    channel text not null,
    -- Makes enqueueing idempotent: the same reminder is never queued twice.
    dedup_key text not null unique,
    -- Recipients as a JSON array of [address, display name] pairs.
    recipients_json text not null,
    subject text not null,
    body text not null,
    -- The Message-ID header, fixed when queued so that every attempt carries the same one.
    message_id text not null,
    -- The reminder this mail carries, marked e-mailed when it is sent.
    reminder_id bigint references reminder (reminder_id) on delete set null,
    -- 'pending', 'sent' or 'failed'.
    state text not null,
    attempts integer not null default 0,
    next_attempt_at bigint not null,
    claimed_until bigint,
    last_error text,
    sent_at bigint,
    created_at bigint not null
);
create index outbox_due_idx on outbox (next_attempt_at) where state = 'pending';
