// An HTTP server in the extension host that records every request it gets (method, path, headers,
// body) and answers with an empty object: the endpoint a hostile workspace would point the extension at.
import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Recorder {
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** True when `secret` appears anywhere in a request: path, any header, body. */
  saw(secret: string): boolean;
  close(): Promise<void>;
}

export async function startRecorder(): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    saw: (secret) => requests.some((r) => JSON.stringify(r).includes(secret)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Where a test writes a workspace's own settings, as a cloned repository would bring them. */
export const WORKSPACE_SETTINGS = ['.vscode', 'settings.json'] as const;
