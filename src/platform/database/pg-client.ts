import { Module } from '@nestjs/common';
import { EvictingClient } from './evicting-client';

/**
 * The pg client class the app's pool connects with (EvictingClient). A provider of its
 * own so a test can see the statements the app runs, in order, by overriding it with a
 * subclass (test/accounts/password-reset.e2e.ts), instead of patching a pool's clients.
 */
export const PG_CLIENT = Symbol('PG_CLIENT');

export type PgClientClass = typeof EvictingClient;

@Module({ providers: [{ provide: PG_CLIENT, useValue: EvictingClient }], exports: [PG_CLIENT] })
export class PgClientModule {}
