-- The head row's own signature (HMAC-SHA256 with the operator's key over the chain, its last
-- position and hash), written in the transaction of every append: the head cannot be moved back
-- (the newest events removed) or forward (events forged) without the key. Null without a key, and
-- for heads written before this version until the next start-up signs them.
alter table audit_chain add column head_signature varchar(64);
