-- Approval rules and several approvers (issue 15): the customer's approval rules (the decision
-- table LockboxApprovalRules) decide, when a lockbox request is opened, which groups approve it
-- and how many distinct people must approve; the lockbox request records both, and every
-- approval is a row of its own.

-- A free label on an environment (production, staging, ...) the approval rules can route on.
alter table environment add column tier varchar(32);

-- What the approval rules decided for this lockbox request; only these columns count afterwards.
alter table lockbox_request add column approvals_required integer;
alter table lockbox_request add column approver_groups varchar(500);
-- Lockbox requests opened before this version: one approver of lockbox-approvers or tenant-admins.
update lockbox_request set approvals_required = 1, approver_groups = 'lockbox-approvers,tenant-admins'
  where approvals_required is null;

-- Each approval of a lockbox request: one per person (nobody counts twice).
create table lockbox_approval (
  lockbox_request_id varchar(36)   not null references lockbox_request (id),
  approver           varchar(64)   not null,
  decided_as         varchar(64),
  approved_at        timestamp with time zone not null,
  comment            varchar(2000),
  primary key (lockbox_request_id, approver)
);

-- Approvals recorded before this version, so the basis rule reads every lockbox request alike.
insert into lockbox_approval (lockbox_request_id, approver, decided_as, approved_at, comment)
  select id, decided_by, decided_as, decided_at, comment from lockbox_request
  where status = 'APPROVED' and decided_by is not null and decided_at is not null;
