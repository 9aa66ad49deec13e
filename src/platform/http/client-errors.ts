import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExceptionFilter } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ApiErrorCode } from '../errors/api-error-code';
import { apiError, ApiException } from '../errors/api.exception';
import { REQUEST_ID_HEADER } from '../logging/logger-options';
import { SECURITY_HEADERS } from './security-headers';

/** What node's HTTP parser refused, as the error it stands for. */
function asApiException(code: string | undefined): ApiException {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return apiError(ApiErrorCode.REQUEST_HEADERS_TOO_LARGE, 'The request headers are larger than the server accepts.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return apiError(ApiErrorCode.REQUEST_TIMEOUT, 'The request did not arrive in time.');
    default:
      return apiError(ApiErrorCode.VALIDATION_FAILED, 'The request is not valid HTTP.');
  }
}

/**
 * The path of the request line, when the bytes the parser refused begin with one: it only
 * chooses the answer's shape (the envelope under /api/workspace) and is never echoed.
 */
function pathOf(rawPacket: unknown): string {
  if (!Buffer.isBuffer(rawPacket)) return '/';
  const line = /^[A-Z]{1,16} (\/\S{0,2048}) HTTP\/1\.[01]\r?\n/.exec(rawPacket.subarray(0, 2100).toString('latin1'));
  return line ? line[1] : '/';
}

/** Just enough of a Fastify reply for the error filters: what they set is collected. */
function collectingReply() {
  const answer = { status: 500, headers: {} as Record<string, string>, body: undefined as unknown };
  const reply = {
    status: (status: number) => ((answer.status = status), reply),
    headers: (headers: Record<string, string>) => (Object.assign(answer.headers, headers), reply),
    header: (name: string, value: string) => ((answer.headers[name] = value), reply),
    send: (body: unknown) => ((answer.body = body), reply),
  };
  return { answer, reply };
}

/**
 * Fastify's `clientErrorHandler`. Node's HTTP parser refuses some requests before there
 * is a request at all: headers over the size limit (431), a malformed request line or
 * header (400), a request that did not arrive in time (408). Fastify's default writes
 * its own JSON with none of our headers. Here the refusal goes through the same error
 * filter as every other answer, so it has our shape (the envelope when the request line
 * names /api/workspace), our security headers, `no-store` and a request id, and echoes
 * nothing of what was sent. The connection is closed after it, as node does.
 */
export function clientErrorHandler(filter: ExceptionFilter): (err: Error & { code?: string; rawPacket?: unknown }, socket: Duplex) => void {
  return (err, socket) => {
    // A reset connection: nobody is left to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    if (socket.writable) {
      const { answer, reply } = collectingReply();
      filter.catch(asApiException(err.code), new ExecutionContextHost([{ url: pathOf(err.rawPacket) }, reply]));
      const body = JSON.stringify(answer.body);
      const headers: Record<string, string> = {
        ...SECURITY_HEADERS,
        ...answer.headers,
        'cache-control': 'no-store',
        [REQUEST_ID_HEADER]: randomUUID(),
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(body)),
        connection: 'close',
      };
      const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
      socket.write(`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}\r\n${head}\r\n${body}`);
    }
    socket.destroy(err);
  };
}
