-- The tamper-evident audit trail: every field an auditor asks for, and a hash chain per tenant.

alter table audit_event add column support_ticket_id varchar(64);
alter table audit_event add column request_expires_at timestamp with time zone;
alter table audit_event add column access_expires_at timestamp with time zone;
alter table audit_event add column justification varchar(2000);
alter table audit_event add column comment varchar(2000);
-- Where a person acted from (IPv6 text is at most 45 characters); none for system steps.
alter table audit_event add column client_ip varchar(45);
-- The chain an event belongs to: its tenant's id, or "#system" for events without a tenant.
alter table audit_event add column chain_id varchar(64);
-- Position in the chain (1, 2, 3...), the previous event's hash and this event's own hash.
alter table audit_event add column chain_seq bigint;
alter table audit_event add column prev_hash varchar(64);
alter table audit_event add column hash varchar(64);
-- Not unique on purpose: verify must be able to see (and name) a forged duplicate position.
create index audit_event_chain on audit_event (chain_id, chain_seq);
create index audit_event_chain_time on audit_event (chain_id, occurred_at);

-- The head of each chain. Appending locks this row (select ... for update), so appends to one
-- chain serialize across transactions and nodes. The anchor is where the chain starts after a
-- retention purge: the position and hash of the last purged event (0 and 64 zeros before any).
create table audit_chain (
  chain_id      varchar(64) primary key,
  last_seq      bigint      not null,
  last_hash     varchar(64) not null,
  anchor_seq    bigint      not null,
  anchor_hash   varchar(64) not null,
  anchored_at   timestamp with time zone,
  purged_events bigint      not null
);

-- Days a tenant keeps its audit events; null: the deployment's default (lockbox.audit.default-retention-days).
alter table tenant add column audit_retention_days integer;
