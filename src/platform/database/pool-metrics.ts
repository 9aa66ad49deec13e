import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig, InjectConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';

/** The database pool's use, read at scrape time: connections open, idle and in use, requests waiting for one. */
@Injectable()
export class PoolMetrics implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const pool = () => (this.dataSource.driver as unknown as { master?: Pool }).master;
    this.metrics.gauge('authgate_db_pool_connections', 'Connections of the PostgreSQL pool by state: total (open), idle, active (in use).', ['state'], (set) => {
      const p = pool();
      if (!p) return;
      set({ state: 'total' }, p.totalCount);
      set({ state: 'idle' }, p.idleCount);
      set({ state: 'active' }, p.totalCount - p.idleCount);
    });
    this.metrics.gauge('authgate_db_pool_waiting_requests', 'Queries waiting for a free pool connection.', [], (set) => {
      const p = pool();
      if (p) set({}, p.waitingCount);
    });
    this.metrics.gauge('authgate_db_pool_max_connections', 'The pool size (DATABASE_POOL_SIZE).', [], (set) => set({}, this.config.database.poolSize));
  }
}
