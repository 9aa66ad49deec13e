import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed-login throttling in one round trip: `throttle_reserve` locks (creating
 * them if needed) the attempt's counters in the order given, decides with the
 * rules of src/throttle/throttle-policy.ts and charges every counter, or none;
 * `throttle_settle` resets or hands back a charge. Row locks are held for the
 * duration of one statement, so parallel attempts on one account queue inside
 * PostgreSQL for microseconds instead of holding pool connections.
 */
export class ThrottleFunctions1795420856228 implements MigrationInterface {
  name = 'ThrottleFunctions1795420856228';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE FUNCTION throttle_reserve(
  p_keys text[], p_now timestamptz, p_window_ms bigint[], p_limit int[], p_free int[], p_base_ms bigint[], p_cap_ms bigint[]
) RETURNS TABLE (allowed boolean, retry_after_ms bigint, blocked int[], window_started_at timestamptz[])
LANGUAGE plpgsql AS $fn$
DECLARE
  n int := coalesce(array_length(p_keys, 1), 0);
  f int[] := '{}';
  w timestamptz[] := '{}';
  l timestamptz[] := '{}';
  r record;
  u timestamptz;
  window_end timestamptz;
  until_max timestamptz := NULL;
  refused int[] := '{}';
BEGIN
  -- Create missing counters and lock all of them, in the caller's order: every caller sorts, so no deadlocks.
  INSERT INTO throttle_counters AS t (key, failures, window_started_at)
  SELECT k.key, 0, p_now FROM unnest(p_keys) WITH ORDINALITY AS k(key, i) ORDER BY k.i
  ON CONFLICT (key) DO UPDATE SET failures = t.failures;

  FOR i IN 1..n LOOP
    SELECT c.failures, c.window_started_at, c.last_failure_at INTO r FROM throttle_counters c WHERE c.key = p_keys[i];
    IF r.failures = 0 OR p_now >= r.window_started_at + p_window_ms[i] * interval '1 millisecond' THEN
      f[i] := 0; w[i] := p_now; l[i] := NULL;
    ELSE
      f[i] := r.failures; w[i] := r.window_started_at; l[i] := r.last_failure_at;
    END IF;
    window_end := w[i] + p_window_ms[i] * interval '1 millisecond';
    u := NULL;
    IF f[i] >= p_limit[i] THEN
      u := window_end;
    ELSIF p_free[i] >= 0 AND f[i] >= p_free[i] AND l[i] IS NOT NULL THEN
      u := least(
        l[i] + least(p_base_ms[i] * power(2, least(f[i] - p_free[i], 40))::bigint, p_cap_ms[i]) * interval '1 millisecond',
        window_end);
    END IF;
    IF u IS NOT NULL AND u > p_now THEN
      refused := refused || i;
      IF until_max IS NULL OR u > until_max THEN until_max := u; END IF;
    END IF;
  END LOOP;

  IF coalesce(array_length(refused, 1), 0) > 0 THEN
    RETURN QUERY SELECT false, ceil(extract(epoch FROM until_max - p_now) * 1000)::bigint, refused, NULL::timestamptz[];
    RETURN;
  END IF;
  FOR i IN 1..n LOOP
    UPDATE throttle_counters SET failures = f[i] + 1, window_started_at = w[i], last_failure_at = p_now WHERE key = p_keys[i];
  END LOOP;
  RETURN QUERY SELECT true, 0::bigint, refused, w;
END
$fn$`);
    await queryRunner.query(`
CREATE FUNCTION throttle_settle(p_keys text[], p_window_started_at timestamptz[], p_reset boolean[]) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  FOR i IN 1..coalesce(array_length(p_keys, 1), 0) LOOP
    IF p_reset[i] THEN
      UPDATE throttle_counters SET failures = 0, last_failure_at = NULL WHERE key = p_keys[i];
    ELSE
      UPDATE throttle_counters SET failures = failures - 1
       WHERE key = p_keys[i] AND window_started_at = p_window_started_at[i] AND failures > 0;
    END IF;
  END LOOP;
END
$fn$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION throttle_settle(text[], timestamptz[], boolean[])`);
    await queryRunner.query(`DROP FUNCTION throttle_reserve(text[], timestamptz, bigint[], int[], int[], bigint[], bigint[])`);
  }
}
