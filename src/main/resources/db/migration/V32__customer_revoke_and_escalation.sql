-- Issue 15, points 4 and 5: the tenant's switch that lets its approvers end an active grant at
-- once (off, as before this version), and the group told besides the approvers and the tenant's
-- admins when the reminder finds nobody has answered (none unless the tenant names one).
alter table lockbox_policy add column customer_may_revoke boolean default false not null;
alter table lockbox_policy add column escalation_group varchar(64);

-- REVOKED_BY_CUSTOMER is longer than the reasons so far (EXPIRED, RELEASED).
alter table access_grant alter column end_reason set data type varchar(32);

-- The customer's revocation, as the domain wrote it: who ended the access, when and why. The
-- model's step after the revoke message reads this row; a message without it changes nothing.
create table customer_revocation (
  access_request_id varchar(36)   primary key references access_request (id),
  revoked_by        varchar(64)   not null,
  revoked_as        varchar(32)   not null,
  revoked_at        timestamp with time zone not null,
  comment           varchar(2000) not null
);
