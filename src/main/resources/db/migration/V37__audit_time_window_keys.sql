-- The audit search by tenant and time window, and the export of a period, on H2 as well
-- (docs/benchmarks.md, "Queries and export"). H2 reads an index's entries without the table's
-- rows only when the index holds every column a query names; its secondary indexes carry the
-- primary key (id), not seq.
-- A tenant's time index with seq: the search reads a page's keys (seq) from the index alone and
-- then only the page's rows, instead of each of the window's events from the table to sort them.
drop index audit_event_tenant;
create index audit_event_tenant_time on audit_event (tenant_id, occurred_at, seq);
-- The export of a period across tenants: the first and the last seq of the window, read from this
-- index alone, bound the walk in seq order to the window instead of every event ever appended.
create index audit_event_time on audit_event (occurred_at, seq);
