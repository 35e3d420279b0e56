-- Directives change after they are issued (issue 11): a task's text edited, a deadline extended
-- with its reason (every change kept), an agency added or withdrawn, a task or a whole directive
-- cancelled with its reason. Withdrawn and cancelled assignments stay (with their reports) but
-- leave the board, the reminders, the work queues and the computed figures: the partial indexes
-- those read are rebuilt to leave them out.
alter table directive add column cancelled_on text;
alter table directive add column cancel_reason text;
alter table task add column cancelled_on text;
alter table task add column cancel_reason text;
alter table assignment add column cancelled_on text;
alter table assignment add column cancel_reason text;

create table deadline_change (
    deadline_change_id integer primary key autoincrement,
    assignment_id bigint not null references assignment (assignment_id),
    old_due_on text not null,
    new_due_on text not null,
    reason text not null,
    changed_by text not null,
    created_at bigint not null
);
create index deadline_change_assignment_idx on deadline_change (assignment_id);

drop index assignment_board_idx;
drop index assignment_board_directive_idx;
drop index assignment_open_due_idx;
create index assignment_board_idx on assignment (unit_id, due_on, completed_on, first_report_on, directive_id, role)
    where role = 'lead' and cancelled_on is null;
create index assignment_board_directive_idx on assignment (directive_id, unit_id, due_on, completed_on, first_report_on, role)
    where role = 'lead' and cancelled_on is null;
create index assignment_open_due_idx on assignment (due_on) where completed_on is null and role = 'lead' and cancelled_on is null;
