-- The audit search's indexes of V11, kept newest first. PostgreSQL reads an index backwards for
-- "order by seq desc"; H2 does not, and sorted all of a tenant's events for each page (a tenant's
-- 70,000 events at a million requests: 300 ms a page). In this order both read a page straight
-- from the index (AuditQuery orders by the index's columns to make that visible to H2).
drop index audit_event_tenant_seq;
create index audit_event_tenant_seq on audit_event (tenant_id, seq desc);
drop index audit_event_tenant_type_seq;
create index audit_event_tenant_type_seq on audit_event (tenant_id, event_type, seq desc);
