-- What a grant's basis is read from (issue 13): the domain records each fact when it happens,
-- so the grant step checks the database, never a process variable.

-- The support lead's decision itself (until now only who decided), and the role they decided in.
alter table access_request add column internal_decision varchar(8);
alter table access_request add column internal_decided_as varchar(32);
-- Rows decided before this version: a lead's denial rejected the request; any other decision approved it.
update access_request set internal_decision = case when status = 'REJECTED' then 'DENY' else 'APPROVE' end
  where internal_decided_by is not null;

-- The lockbox gate's answer, taken by the domain from the policy and environment at gate time.
alter table access_request add column lockbox_gate varchar(16);
alter table access_request add column lockbox_gate_reason varchar(500);
alter table access_request add column lockbox_gate_at timestamp with time zone;
-- Requests that already had a lockbox request passed the gate as REQUIRED.
update access_request set lockbox_gate = 'REQUIRED'
  where id in (select access_request_id from lockbox_request);

-- Whether the person who filed a break-glass request was a member of break-glass when filing.
-- Before this version only the API filed break-glass requests, and it checked the membership.
alter table access_request add column break_glass_member boolean;
update access_request set break_glass_member = break_glass;

-- The role an approver decided the lockbox request in (lockbox-approvers or tenant-admins).
alter table lockbox_request add column decided_as varchar(32);
