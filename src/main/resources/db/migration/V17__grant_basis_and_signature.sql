-- Why each grant exists (the basis the domain checked when it wrote the grant) and the grant's
-- signature: a compact JWS over the grant's fields made with a key outside the database, so a row
-- inserted or extended here directly does not verify. Grants written before this version have
-- neither (see V18).
alter table access_grant add column basis_kind varchar(24);
alter table access_grant add column basis_decided_by varchar(64);
alter table access_grant add column basis_decided_at timestamp with time zone;
alter table access_grant add column basis_detail varchar(2000);
alter table access_grant add column signature varchar(4000);
