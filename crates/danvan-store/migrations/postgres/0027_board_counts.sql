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
-- kept counts against a full recount after random histories. (Every change of official data
-- first locks the audit chain's head, so two changes never take these rows in opposite orders.)
--
-- Every change of an assignment updates a row here: the pages are left a third free so that the
-- new version fits beside the old (a HOT update, no index touched), and `Store::optimize`
-- vacuums both tables every ten minutes, so that they stay near their live size.
-- No assignment or agency may change between the counts below and the triggers that follow
-- them (an older server still running during an upgrade): held until the migration commits.
lock table assignment, unit in share row exclusive mode;

create table board_unit_day (
    unit_id bigint not null,
    due_on text not null,
    open_new bigint not null,
    open_reported bigint not null,
    done_on_time bigint not null,
    done_late bigint not null,
    primary key (unit_id, due_on)
) with (fillfactor = 70);

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
) with (fillfactor = 70);

insert into board_unit_day (unit_id, due_on, open_new, open_reported, done_on_time, done_late)
select unit_id, due_on,
    count(*) filter (where completed_on is null and first_report_on is null),
    count(*) filter (where completed_on is null and first_report_on is not null),
    count(*) filter (where completed_on <= due_on),
    count(*) filter (where completed_on > due_on)
from assignment where role = 'lead' and cancelled_on is null
group by unit_id, due_on;

insert into board_directive_day (directive_id, unit_group_id, due_on, open_new, open_reported, done_on_time, done_late)
select a.directive_id, coalesce(u.unit_group_id, 0), a.due_on,
    count(*) filter (where a.completed_on is null and a.first_report_on is null),
    count(*) filter (where a.completed_on is null and a.first_report_on is not null),
    count(*) filter (where a.completed_on <= a.due_on),
    count(*) filter (where a.completed_on > a.due_on)
from assignment a left join unit u on u.unit_id = a.unit_id
where a.role = 'lead' and a.cancelled_on is null
group by a.directive_id, coalesce(u.unit_group_id, 0), a.due_on;

-- Adds one assignment's state with a sign: +1 for the row as it is now, -1 for the row as it was.
create function board_count_add(a assignment, direction bigint) returns void language plpgsql as $$
declare
    n_new bigint := direction * (a.completed_on is null and a.first_report_on is null)::int;
    n_reported bigint := direction * (a.completed_on is null and a.first_report_on is not null)::int;
    n_on_time bigint := direction * coalesce(a.completed_on <= a.due_on, false)::int;
    n_late bigint := direction * coalesce(a.completed_on > a.due_on, false)::int;
begin
    if a.role <> 'lead' or a.cancelled_on is not null then
        return;
    end if;
    insert into board_unit_day as b (unit_id, due_on, open_new, open_reported, done_on_time, done_late)
    values (a.unit_id, a.due_on, n_new, n_reported, n_on_time, n_late)
    on conflict (unit_id, due_on) do update set
        open_new = b.open_new + excluded.open_new, open_reported = b.open_reported + excluded.open_reported,
        done_on_time = b.done_on_time + excluded.done_on_time, done_late = b.done_late + excluded.done_late;
    insert into board_directive_day as b (directive_id, unit_group_id, due_on, open_new, open_reported, done_on_time, done_late)
    values (a.directive_id, coalesce((select unit_group_id from unit where unit_id = a.unit_id), 0), a.due_on,
        n_new, n_reported, n_on_time, n_late)
    on conflict (directive_id, unit_group_id, due_on) do update set
        open_new = b.open_new + excluded.open_new, open_reported = b.open_reported + excluded.open_reported,
        done_on_time = b.done_on_time + excluded.done_on_time, done_late = b.done_late + excluded.done_late;
end
$$;

create function assignment_board_count() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform board_count_add(old, -1);
    end if;
    if tg_op in ('UPDATE', 'INSERT') then
        perform board_count_add(new, 1);
    end if;
    return null;
end
$$;

create trigger assignment_board_count
    after insert or delete or update of unit_id, directive_id, role, due_on, first_report_on, completed_on, cancelled_on
    on assignment for each row execute function assignment_board_count();

-- An agency moving to another group takes its counts per directive along.
create function unit_board_group() returns trigger language plpgsql as $$
declare
    moved record;
begin
    if coalesce(old.unit_group_id, 0) = coalesce(new.unit_group_id, 0) then
        return null;
    end if;
    for moved in
        select directive_id, due_on,
            count(*) filter (where completed_on is null and first_report_on is null) as open_new,
            count(*) filter (where completed_on is null and first_report_on is not null) as open_reported,
            count(*) filter (where completed_on <= due_on) as on_time,
            count(*) filter (where completed_on > due_on) as late
        from assignment where unit_id = new.unit_id and role = 'lead' and cancelled_on is null
        group by directive_id, due_on
    loop
        insert into board_directive_day as b (directive_id, unit_group_id, due_on, open_new, open_reported, done_on_time, done_late)
        values (moved.directive_id, coalesce(old.unit_group_id, 0), moved.due_on,
            -moved.open_new, -moved.open_reported, -moved.on_time, -moved.late),
            (moved.directive_id, coalesce(new.unit_group_id, 0), moved.due_on,
            moved.open_new, moved.open_reported, moved.on_time, moved.late)
        on conflict (directive_id, unit_group_id, due_on) do update set
            open_new = b.open_new + excluded.open_new, open_reported = b.open_reported + excluded.open_reported,
            done_on_time = b.done_on_time + excluded.done_on_time, done_late = b.done_late + excluded.done_late;
    end loop;
    return null;
end
$$;

create trigger unit_board_group after update of unit_group_id on unit
    for each row execute function unit_board_group();
