-- Chain heads signed with a key the operator holds (HMAC-SHA256): a signature vouches for the
-- chain up to last_seq, so even someone who can rewrite the database and recompute every hash
-- cannot forge the signed part without the key.
create table audit_chain_signature (
  chain_id  varchar(64) not null,
  last_seq  bigint      not null,
  last_hash varchar(64) not null,
  signed_at timestamp with time zone not null,
  signature varchar(64) not null,
  primary key (chain_id, last_seq)
);
