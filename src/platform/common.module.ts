import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { SecurityEvents } from './logging/security-events';

@Global()
@Module({})
export class CommonModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: Clock, useValue: clock }, SecurityEvents],
      exports: [Clock, SecurityEvents],
    };
  }
}
