import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { AppConfig, InjectConfig } from '../config/app-config';
import { MetricsService } from './metrics.service';

/**
 * `/metrics` on a listener of its own (METRICS_PORT), so scrapes never share the API's
 * port, balancer or rate of requests, and the API never exposes them. Off when unset.
 * It stays up while the API drains on SIGTERM and closes last.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** `http://host:port/metrics` once listening; undefined when METRICS_PORT is unset. */
  url?: string;

  async onApplicationBootstrap(): Promise<void> {
    const settings = this.config.metrics;
    if (settings?.port === undefined) return;
    this.metrics.collectProcessMetrics();
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      this.metrics.scrape().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        (err: unknown) => {
          this.logger.error(`metrics scrape failed: ${String(err)}`);
          res.writeHead(500, { 'content-type': 'text/plain' }).end('scrape failed\n');
        },
      );
    });
    const host = settings.host ?? this.config.host;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(settings.port, host, () => resolve());
    });
    this.server = server;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`;
    this.logger.log(`metrics on ${this.url}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
