import type { AppConfig } from '../../config/app-config';

export interface DemoLogin {
  email: string;
  password: string;
}

/**
 * Loads the demo fixture when the database has no organization yet.
 * Placeholder until the fixture loader lands: returns null (nothing seeded).
 */
export async function seedDemoIfEmpty(_config: AppConfig): Promise<DemoLogin | null> {
  return null;
}
