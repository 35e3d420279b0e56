-- Documents received as edXML packages (issue 16): the header as the sender gave it, so that
-- status messages and reports can answer it, and the province's refusal when it refused one.
-- Packages leaving danvan wait in the outbox with channel 'edxml'.
create table edxml_received (
    document_id bigint primary key references document (document_id),
    from_organ_id text not null,
    from_organ_name text not null,
    to_organ_id text not null,
    to_organ_name text not null,
    code text not null,
    promulgation_date text,
    package_document_id text not null,
    steering integer not null,
    due_date text,
    received_at bigint not null,
    refused_reason text
);
