-- The board's counts kept as the assignments change (issue 18): for every agency and deadline
-- day, and for every directive, group of agencies and deadline day, how many lead assignments
-- still in force are open without a report, open with one, done on time and done late. A
-- period's board then reads these few rows instead of every assignment; which open ones are
-- overdue follows from the deadline day and today at query time.
--
-- Triggers keep them, in the same transaction as the change, whatever writes the assignment
-- (a report accepted, a deadline extended or recomputed, an agency withdrawn or added, a task
-- or directive cancelled, a restructuring moving work to a successor) and when an agency moves
-- to another group. An assignment counts while it is a lead part and not cancelled. Rows whose
-- counts fall to zero stay, and are left out by the query. The conformance suite checks the
-- kept counts against a full recount after random histories.
create table board_unit_day (
    unit_id bigint not null,
    due_on text not null,
    open_new bigint not null,
    open_reported bigint not null,
    done_on_time bigint not null,
    done_late bigint not null,
    primary key (unit_id, due_on)
) without rowid;

-- unit_group_id is 0 for an agency in no group.
create table board_directive_day (
    directive_id bigint not null,
    unit_group_id bigint not null,
    due_on text not null,
    open_new bigint not null,
    open_reported bigint not null,
    done_on_time bigint not null,
    done_late bigint not null,
    primary key (directive_id, unit_group_id, due_on)
) without rowid;

insert into board_unit_day (unit_id, due_on, open_new, open_reported, done_on_time, done_late)
select unit_id, due_on,
    sum(completed_on is null and first_report_on is null),
    sum(completed_on is null and first_report_on is not null),
    sum(coalesce(completed_on <= due_on, 0)),
    sum(coalesce(completed_on > due_on, 0))
from assignment where role = 'lead' and cancelled_on is null
group by unit_id, due_on;

insert into board_directive_day (directive_id, unit_group_id, due_on, open_new, open_reported, done_on_time, done_late)
select a.directive_id, coalesce(u.unit_group_id, 0), a.due_on,
    sum(a.completed_on is null and a.first_report_on is null),
    sum(a.completed_on is null and a.first_report_on is not null),
    sum(coalesce(a.completed_on <= a.due_on, 0)),
    sum(coalesce(a.completed_on > a.due_on, 0))
from assignment a left join unit u on u.unit_id = a.unit_id
where a.role = 'lead' and a.cancelled_on is null
group by a.directive_id, coalesce(u.unit_group_id, 0), a.due_on;

-- Each statement adds one assignment's state with a sign: +1 for the row as it is now, -1 for
-- the row as it was. (SQLite's upsert after a select needs the `where`.)
create trigger assignment_board_insert after insert on assignment
when new.role = 'lead' and new.cancelled_on is null
begin
    insert into board_unit_day (unit_id, due_on, open_new, open_reported, done_on_time, done_late)
    select new.unit_id, new.due_on,
        new.completed_on is null and new.first_report_on is null,
        new.completed_on is null and new.first_report_on is not null,
        coalesce(new.completed_on <= new.due_on, 0),
        coalesce(new.completed_on > new.due_on, 0)
    where true
    on conflict (unit_id, due_on) do update set
        open_new = open_new + excluded.open_new, open_reported = open_reported + excluded.open_reported,
        done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late;
    insert into board_directive_day (directive_id, unit_group_id, due_on, open_new, open_reported, done_on_time, done_late)
    select new.directive_id, coalesce((select unit_group_id from unit where unit_id = new.unit_id), 0), new.due_on,
        new.completed_on is null and new.first_report_on is null,
        new.completed_on is null and new.first_report_on is not null,
        coalesce(new.completed_on <= new.due_on, 0),
        coalesce(new.completed_on > new.due_on, 0)
    where true
    on conflict (directive_id, unit_group_id, due_on) do update set
        open_new = open_new + excluded.open_new, open_reported = open_reported + excluded.open_reported,
        done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late;
end;

create trigger assignment_board_delete after delete on assignment
when old.role = 'lead' and old.cancelled_on is null
begin
    insert into board_unit_day (unit_id, due_on, open_new, open_reported, done_on_time, done_late)
    select old.unit_id, old.due_on,
        -(old.completed_on is null and old.first_report_on is null),
        -(old.completed_on is null and old.first_report_on is not null),
        -coalesce(old.completed_on <= old.due_on, 0),
        -coalesce(old.completed_on > old.due_on, 0)
    where true
    on conflict (unit_id, due_on) do update set
        open_new = open_new + excluded.open_new, open_reported = open_reported + excluded.open_reported,
        done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late;
    insert into board_directive_day (directive_id, unit_group_id, due_on, open_new, open_reported, done_on_time, done_late)
    select old.directive_id, coalesce((select unit_group_id from unit where unit_id = old.unit_id), 0), old.due_on,
        -(old.completed_on is null and old.first_report_on is null),
        -(old.completed_on is null and old.first_report_on is not null),
        -coalesce(old.completed_on <= old.due_on, 0),
        -coalesce(old.completed_on > old.due_on, 0)
    where true
    on conflict (directive_id, unit_group_id, due_on) do update set
        open_new = open_new + excluded.open_new, open_reported = open_reported + excluded.open_reported,
        done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late;
end;

create trigger assignment_board_update after update of unit_id, directive_id, role, due_on, first_report_on, completed_on, cancelled_on on assignment
begin
    insert into board_unit_day (unit_id, due_on, open_new, open_reported, done_on_time, done_late)
    select old.unit_id, old.due_on,
        -(old.completed_on is null and old.first_report_on is null),
        -(old.completed_on is null and old.first_report_on is not null),
        -coalesce(old.completed_on <= old.due_on, 0),
        -coalesce(old.completed_on > old.due_on, 0)
    where old.role = 'lead' and old.cancelled_on is null
    on conflict (unit_id, due_on) do update set
        open_new = open_new + excluded.open_new, open_reported = open_reported + excluded.open_reported,
        done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late;
    insert into board_directive_day (directive_id, unit_group_id, due_on, open_new, open_reported, done_on_time, done_late)
    select old.directive_id, coalesce((select unit_group_id from unit where unit_id = old.unit_id), 0), old.due_on,
        -(old.completed_on is null and old.first_report_on is null),
        -(old.completed_on is null and old.first_report_on is not null),
        -coalesce(old.completed_on <= old.due_on, 0),
        -coalesce(old.completed_on > old.due_on, 0)
    where old.role = 'lead' and old.cancelled_on is null
    on conflict (directive_id, unit_group_id, due_on) do update set
        open_new = open_new + excluded.open_new, open_reported = open_reported + excluded.open_reported,
        done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late;
    insert into board_unit_day (unit_id, due_on, open_new, open_reported, done_on_time, done_late)
    select new.unit_id, new.due_on,
        new.completed_on is null and new.first_report_on is null,
        new.completed_on is null and new.first_report_on is not null,
        coalesce(new.completed_on <= new.due_on, 0),
        coalesce(new.completed_on > new.due_on, 0)
    where new.role = 'lead' and new.cancelled_on is null
    on conflict (unit_id, due_on) do update set
        open_new = open_new + excluded.open_new, open_reported = open_reported + excluded.open_reported,
        done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late;
    insert into board_directive_day (directive_id, unit_group_id, due_on, open_new, open_reported, done_on_time, done_late)
    select new.directive_id, coalesce((select unit_group_id from unit where unit_id = new.unit_id), 0), new.due_on,
        new.completed_on is null and new.first_report_on is null,
        new.completed_on is null and new.first_report_on is not null,
        coalesce(new.completed_on <= new.due_on, 0),
        coalesce(new.completed_on > new.due_on, 0)
    where new.role = 'lead' and new.cancelled_on is null
    on conflict (directive_id, unit_group_id, due_on) do update set
        open_new = open_new + excluded.open_new, open_reported = open_reported + excluded.open_reported,
        done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late;
end;

-- An agency moving to another group takes its counts per directive along.
create trigger unit_board_group after update of unit_group_id on unit
when coalesce(old.unit_group_id, 0) <> coalesce(new.unit_group_id, 0)
begin
    insert into board_directive_day (directive_id, unit_group_id, due_on, open_new, open_reported, done_on_time, done_late)
    select directive_id, coalesce(old.unit_group_id, 0), due_on,
        -sum(completed_on is null and first_report_on is null),
        -sum(completed_on is null and first_report_on is not null),
        -sum(coalesce(completed_on <= due_on, 0)),
        -sum(coalesce(completed_on > due_on, 0))
    from assignment where unit_id = new.unit_id and role = 'lead' and cancelled_on is null
    group by directive_id, due_on
    on conflict (directive_id, unit_group_id, due_on) do update set
        open_new = open_new + excluded.open_new, open_reported = open_reported + excluded.open_reported,
        done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late;
    insert into board_directive_day (directive_id, unit_group_id, due_on, open_new, open_reported, done_on_time, done_late)
    select directive_id, coalesce(new.unit_group_id, 0), due_on,
        sum(completed_on is null and first_report_on is null),
        sum(completed_on is null and first_report_on is not null),
        sum(coalesce(completed_on <= due_on, 0)),
        sum(coalesce(completed_on > due_on, 0))
    from assignment where unit_id = new.unit_id and role = 'lead' and cancelled_on is null
    group by directive_id, due_on
    on conflict (directive_id, unit_group_id, due_on) do update set
        open_new = open_new + excluded.open_new, open_reported = open_reported + excluded.open_reported,
        done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late;
end;
