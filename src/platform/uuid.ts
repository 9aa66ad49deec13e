const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else would reach PostgreSQL as a malformed uuid (a 500 instead of a 400/401/404). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
