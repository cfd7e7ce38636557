-- Indexes of the audit search (newest first, a page at a time, by seq): with a million requests
-- and their seven million events, a tenant's page is read from the end of its own index range
-- instead of walking every tenant's events back from the newest.
-- The auditor's first page, by tenant: "where tenant_id = ? order by seq desc".
create index audit_event_tenant_seq on audit_event (tenant_id, seq);
-- By tenant and type ("every lockbox approval of contoso").
create index audit_event_tenant_type_seq on audit_event (tenant_id, event_type, seq);
