-- Webhook URLs a customer tenant registered: every notification about its requests is POSTed
-- there as JSON, signed with the webhook's own secret (HMAC-SHA256).
create table webhook (
  id         varchar(36)   primary key,
  tenant_id  varchar(64)   not null references tenant (id),
  url        varchar(2000) not null,
  secret     varchar(128)  not null,
  created_at timestamp with time zone not null,
  created_by varchar(64)   not null
);
create index webhook_tenant on webhook (tenant_id);
