import net from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import type { Answer } from './fuzz-client';

/** Decodes a chunked body; whatever cannot be read as chunks is returned as it came. */
function unchunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) return body;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return body;
    if (size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * Sends bytes exactly as given (a request Node's own client would refuse to write: bad
 * header characters, duplicate lengths, paths with spaces) on a connection of its own, and
 * reads the answer until the server closes it (the request says `Connection: close`). A
 * server still waiting for a body it was promised after `patienceMs` is told there is no
 * more. No answer at all (the connection dropped) is status 0.
 */
export function rawRequest(port: number, request: Buffer, patienceMs = 3_000, timeoutMs = 20_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`No answer within ${timeoutMs} ms`));
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => socket.destroy());
    const patience = setTimeout(() => socket.end(), patienceMs);
    socket.on('close', () => {
      clearTimeout(patience);
      resolve(parse(Buffer.concat(chunks)));
    });
    socket.write(request);
  });
}

function parse(raw: Buffer): Answer {
  // An interim answer (100 Continue) comes before the real one.
  if (/^HTTP\/1\.1 1\d\d /.test(raw.subarray(0, 13).toString('latin1')) && raw.indexOf('\r\n\r\n') >= 0) return parse(raw.subarray(raw.indexOf('\r\n\r\n') + 4));
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) return { status: 0, headers: {}, text: raw.toString('latin1') };
  const [statusLine = '', ...lines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n');
  const headers: IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'set-cookie') headers['set-cookie'] = [...(headers['set-cookie'] ?? []), value];
    else headers[name] = value;
  }
  const body = raw.subarray(headEnd + 4);
  const text = (/chunked/i.test(String(headers['transfer-encoding'] ?? '')) ? unchunk(body) : body).toString('utf8');
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, text };
}

/** A request as bytes: the request line, the headers in order (repeats allowed), and the body. */
export function requestBytes(method: string, path: string, headers: Array<[string, string]>, body?: Buffer | string): Buffer {
  const head = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headers.map(([name, value]) => `${name}: ${value}`)].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body)]);
}
