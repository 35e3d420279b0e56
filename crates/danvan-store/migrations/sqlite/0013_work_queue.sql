-- The Department's work queue counts the progress reports waiting for review on every home page;
-- only those rows are indexed.
create index progress_report_waiting_idx on progress_report (assignment_id) where status = 'submitted';
