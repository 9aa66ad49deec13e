/**
 * The service under measurement, in a process of its own: compiled by tsc (each
 * checkout's own tsconfig.bench.json, so another checkout of the project can be
 * measured beside this one) and run with the Node flags of `npm run start:prod`.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** This checkout: the one the benchmark runs from. */
export const HERE = resolve(__dirname, '..');

/**
 * Node flags of the service process: those `npm run start:prod` runs it with (read
 * from package.json, so the benchmark measures what production runs), unless
 * BENCH_SERVICE_NODE_FLAGS replaces them for an experiment.
 */
export const SERVICE_NODE_FLAGS = (process.env.BENCH_SERVICE_NODE_FLAGS ?? productionNodeFlags()).split(' ').filter(Boolean);

function productionNodeFlags(): string {
  const { scripts } = JSON.parse(readFileSync(join(HERE, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const match = /^node((?: --[\w-]+(?:=\S+)?)*) \S+\.js$/.exec(scripts['start:prod'] ?? '');
  if (!match) throw new Error(`package.json's start:prod is not "node [--flags] <file>.js": ${scripts['start:prod']}`);
  return match[1].trim();
}

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat
 * (clock ticks of 10 ms: over a 10-second run that is well under 1 %). NaN when it is gone.
 */
export function processCpuMs(pid: number): number {
  try {
    // After the ")" that closes the command name: field 14 (utime) and 15 (stime) of proc(5) are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}
/** USER_HZ, which Linux fixes at 100 for /proc on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** A service process watched: its resident memory sampled (each scenario's row takes the peak of its own window) and its CPU time read on demand. */
export function processSampler(pid: number) {
  const samples: { t: number; rssMiB: number }[] = [];
  const read = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      samples.push({ t: Date.now(), rssMiB: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024 });
    } catch {
      /* process gone */
    }
  };
  const timer = setInterval(read, 250);
  return {
    samples,
    peakMiB: () => Math.max(0, ...samples.map((s) => s.rssMiB)),
    cpuMs: () => processCpuMs(pid),
    stop: () => clearInterval(timer),
  };
}
export type ProcessSampler = ReturnType<typeof processSampler>;

export function readyPort(child: ChildProcess): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /ready (\d+)/.exec(buffer);
      if (match) resolvePort(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`process exited with ${code} before it was ready`)));
  });
}

const compiled = new Set<string>();

/** Every service still running, so a failed or interrupted run leaves none behind (stopAllServices). */
const running = new Set<Service>();

export async function stopAllServices(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
}

/** tsc -p tsconfig.bench.json in `checkout`, once per run (the service as production runs it: no swc in its process). */
function compile(checkout: string): void {
  if (compiled.has(checkout)) return;
  execFileSync(process.execPath, [join(checkout, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(checkout, 'tsconfig.bench.json')], { stdio: 'inherit', cwd: checkout });
  compiled.add(checkout);
}

/**
 * Applies `checkout`'s own migrations to `databaseUrl` (another checkout has its own
 * schema; the module moved with the layered layout, hence both places).
 */
export function migrate(checkout: string, databaseUrl: string): void {
  const module = ['src/platform/database/migrate.ts', 'src/database/migrate.ts'].find((p) => existsSync(join(checkout, p)));
  if (!module) throw new Error(`${checkout}: no src/platform/database/migrate.ts or src/database/migrate.ts`);
  const script = `require('./${module.replace(/\.ts$/, '')}').runMigrations(process.argv[1]).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`;
  execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', script, databaseUrl], { cwd: checkout, stdio: ['ignore', 'ignore', 'inherit'] });
}

export interface Service {
  base: string;
  pid: number;
  rss: ProcessSampler;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
  process: ChildProcess;
}

/**
 * Starts `checkout`'s bench/app-process with `config` (an AppConfig as JSON: a checkout
 * ignores the fields it does not know). `env` adds to the environment (BENCH_PROFILE).
 */
export async function startService(checkout: string, config: object, env: NodeJS.ProcessEnv = {}): Promise<Service> {
  compile(checkout);
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, join(checkout, '.bench-build', 'bench', 'app-process.js')], {
    cwd: checkout,
    env: { ...process.env, ...env, BENCH_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await readyPort(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const rss = processSampler(child.pid as number);
  const service: Service = {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    rss,
    process: child,
    async stop() {
      running.delete(service);
      rss.stop();
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  running.add(service);
  return service;
}
