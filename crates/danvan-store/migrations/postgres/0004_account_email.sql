-- An address for reminders sent by e-mail; optional.
alter table account add column email text;
