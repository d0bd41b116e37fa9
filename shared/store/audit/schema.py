"""What the recorder creates on start beside the events table: the chain table, the triggers that
keep both append-only, and the seal function of small saves (all formatted with the recorder's
identifiers)."""

from __future__ import annotations

from psycopg import sql

CHAIN_TABLE = (
    "CREATE TABLE IF NOT EXISTS {schema}.{chain} ("
    "notification_id bigint PRIMARY KEY, prev_id bigint NOT NULL, hash bytea NOT NULL)"
)

# Lock, NOTIFY, insert and seal in the statement's own transaction (one round trip in autocommit).
# Unlike eventsourcing's POSTGRES_ENABLE_DB_FUNCTIONS function it takes the EXCLUSIVE table lock,
# so notification ids still commit in order (I3). Links as in chain.link_hash (int8send/int4send
# are big-endian), checked against it by verify.
SEAL_FUNCTION = """DO $do$ BEGIN IF to_regproc({fn_name}) IS NULL THEN
CREATE FUNCTION {fn}(ids {oid_type}[], versions bigint[], topics text[], states bytea[])
RETURNS TABLE (id bigint) LANGUAGE plpgsql AS $f$
DECLARE
  nids bigint[]; oids text[]; vers bigint[]; tops text[]; sts bytea[];
  last_id bigint; prev bytea; prevs bigint[] := ARRAY[]::bigint[]; hashes bytea[] := ARRAY[]::bytea[];
  o_b bytea; t_b bytea;
BEGIN
  PERFORM set_config('lock_timeout', {timeout}, true);
  LOCK TABLE {schema}.{events} IN EXCLUSIVE MODE;
  NOTIFY {channel};
  SELECT c.notification_id, c.hash INTO last_id, prev FROM {schema}.{chain} AS c
    ORDER BY c.notification_id DESC LIMIT 1;
  IF last_id IS NULL THEN
    last_id := 0;
    prev := decode(repeat('00', 32), 'hex');
  END IF;
  WITH ins AS (
    INSERT INTO {schema}.{events} AS t (originator_id, originator_version, topic, state)
    SELECT * FROM unnest(ids, versions, topics, states)
    RETURNING t.notification_id, t.originator_id, t.originator_version, t.topic, t.state
  )
  SELECT array_agg(ins.notification_id ORDER BY ins.notification_id),
         array_agg(ins.originator_id::text ORDER BY ins.notification_id),
         array_agg(ins.originator_version ORDER BY ins.notification_id),
         array_agg(ins.topic ORDER BY ins.notification_id),
         array_agg(ins.state ORDER BY ins.notification_id)
    INTO nids, oids, vers, tops, sts FROM ins;
  FOR i IN 1 .. coalesce(array_length(nids, 1), 0) LOOP
    o_b := convert_to(oids[i], 'UTF8');
    t_b := convert_to(tops[i], 'UTF8');
    prev := sha256(prev || int8send(nids[i]) || int4send(octet_length(o_b)) || o_b
      || int8send(vers[i]) || int4send(octet_length(t_b)) || t_b
      || int4send(octet_length(sts[i])) || sts[i]);
    prevs := array_append(prevs, last_id);
    hashes := array_append(hashes, prev);
    last_id := nids[i];
  END LOOP;
  INSERT INTO {schema}.{chain} (notification_id, prev_id, hash) SELECT * FROM unnest(nids, prevs, hashes);
  RETURN QUERY SELECT unnest(nids);
END $f$;
END IF; EXCEPTION WHEN duplicate_function OR unique_violation THEN NULL; END $do$"""


def append_only(schema: str, *tables: str) -> list[sql.Composed]:
    """Triggers refusing UPDATE, DELETE and TRUNCATE: a slip or a bug cannot change the history.
    (Whoever may disable triggers may also rewrite the log; that is what the chain is for.)

    Created once, tolerating a race with another process starting at the same time."""
    function = sql.Identifier(schema, "tdkt_append_only")
    statements = [
        sql.SQL(
            "DO $do$ BEGIN IF to_regproc({name}) IS NULL THEN "
            "CREATE FUNCTION {f}() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
            "RAISE EXCEPTION 'the event log is append-only: % on % refused', TG_OP, TG_TABLE_NAME; END $f$; "
            "END IF; EXCEPTION WHEN duplicate_function OR unique_violation THEN NULL; END $do$"
        ).format(f=function, name=sql.Literal(f'"{schema}".tdkt_append_only'))
    ]
    for table in tables:
        for suffix, when in (
            ("rows", "UPDATE OR DELETE ON {t} FOR EACH ROW"),
            ("truncate", "TRUNCATE ON {t}"),
        ):
            statements.append(
                sql.SQL(
                    "DO $do$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = {n} "
                    "AND tgrelid = {r}::regclass) THEN CREATE TRIGGER {name} BEFORE " + when + " "
                    "EXECUTE FUNCTION {f}(); END IF; "
                    "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $do$"
                ).format(
                    n=sql.Literal(f"{table}_append_only_{suffix}"),
                    r=sql.Literal(f'"{schema}"."{table}"'),
                    name=sql.Identifier(f"{table}_append_only_{suffix}"),
                    t=sql.Identifier(schema, table),
                    f=function,
                )
            )
    return statements
