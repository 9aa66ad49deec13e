import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../auth/passwords/password-hasher.service';
import type { AppConfig } from '../../config/app-config';
import { User } from '../../users/user.entity';
import { dataSourceOptions } from '../data-source-options';
import demoJson from '../../../fixtures/demo.json';
import { FixtureRejectedError } from './fixture-error';
import type { Fixture } from './fixture.types';
import { loadFixtureIfEmpty } from './load-fixture';
import { validateFixture } from './validate-fixture';

/** Where the demo fixture lives in the repository (for messages). */
export const DEMO_FIXTURE_PATH = 'fixtures/demo.json';
const DEMO_EMAIL = 'ops@acme.example';

export interface DemoLogin {
  email: string;
  password: string;
  /** True when the demo fixture was loaded by this call, false when it was already there. */
  seeded: boolean;
}

/** The project's own demo fixture, validated like any other file. */
export function demoFixture(): Fixture {
  const result = validateFixture(demoJson);
  if (!result.ok) throw new FixtureRejectedError(result.problems);
  return result.fixture;
}

/** The login `npm start` prints: the seed's own example user. */
export function demoCredentials(fixture: Fixture = demoFixture()): { email: string; password: string } {
  const ops = fixture.users.find((u) => u.email === DEMO_EMAIL);
  if (ops?.credential.kind !== 'password') throw new Error(`${DEMO_FIXTURE_PATH} must give ${DEMO_EMAIL} a password`);
  return { email: ops.email, password: ops.credential.password };
}

/**
 * `npm start` on an empty database (no organization yet) loads the demo
 * fixture. On a database that has data it loads nothing; it still returns the
 * demo login when that user is there with the demo password (one bcrypt
 * compare), so every start can print a login that works. Null otherwise.
 */
export async function seedDemoIfEmpty(config: AppConfig): Promise<DemoLogin | null> {
  const fixture = demoFixture();
  const login = demoCredentials(fixture);
  const hasher = new PasswordHasher(config);
  const dataSource = new DataSource(dataSourceOptions(config.database.url, 2));
  await dataSource.initialize();
  try {
    const summary = await loadFixtureIfEmpty(dataSource, fixture, { hasher, now: new Date() });
    if (summary) return { ...login, seeded: true };
    const user = await dataSource.getRepository(User).findOneBy({ email: login.email });
    const works = user !== null && user.active && user.migratedAt === null && (await hasher.verify(login.password, user.passwordHash));
    return works ? { ...login, seeded: false } : null;
  } finally {
    await dataSource.destroy();
  }
}
