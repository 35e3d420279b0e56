-- An agency that did not submit its self-assessment by the deadline in force, marked so by the
-- Department with the reason; it is then placed in the lowest band with that reason.
alter table assessment add column not_submitted_reason text;
