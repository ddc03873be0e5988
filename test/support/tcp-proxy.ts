import net from 'node:net';

/**
 * A TCP proxy in front of a shared server (PostgreSQL, Redis), so that a test can take the server
 * away from the process under test only: `cut()` drops every proxied connection and refuses new ones,
 * `stall()` accepts new ones and never forwards a byte (a server that hangs), `restore()` forwards
 * again. The shared server itself is never touched: other suites use it at the same time.
 */
export interface TcpProxy {
  port: number;
  /** Connections currently forwarded. */
  connections(): number;
  cut(): void;
  stall(): void;
  /**
   * Forwarded connections keep carrying requests to the server, whose answers are dropped: what a
   * client sees when the link dies after its command reached the server (follow with cut()).
   */
  mute(): void;
  /** Mutes a connection (as mute() does) the moment its client sends bytes containing `text` (case-sensitive). */
  muteOnRequest(text: string): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'forward' | 'cut' | 'stall' = 'forward';
  let muteTrigger: string | undefined;
  const muteOne = (upstream: net.Socket, client: net.Socket) => {
    upstream.unpipe(client);
    upstream.on('data', () => {}); // read and dropped
  };
  const live = new Set<net.Socket>();
  const upstreams = new Map<net.Socket, net.Socket>();
  const server = net.createServer((client) => {
    live.add(client);
    client.on('close', () => live.delete(client));
    client.on('error', () => {});
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    if (mode === 'stall') return; // held open, never answered
    const upstream = net.connect(target);
    live.add(upstream);
    upstream.on('close', () => {
      live.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      if (muteTrigger !== undefined && chunk.includes(muteTrigger)) {
        muteTrigger = undefined;
        muteOne(upstream, client);
      }
    });
    upstreams.set(upstream, client);
    upstream.on('close', () => upstreams.delete(upstream));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dropAll = () => {
    for (const socket of live) socket.destroy();
    live.clear();
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => live.size,
    cut() {
      mode = 'cut';
      dropAll();
    },
    stall() {
      mode = 'stall';
      dropAll();
    },
    mute() {
      for (const [upstream, client] of upstreams) muteOne(upstream, client);
    },
    muteOnRequest(text) {
      muteTrigger = text;
    },
    restore() {
      mode = 'forward';
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}

/** host and port of a `postgres://` or `redis://` URL. */
export function targetOf(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || defaultPort) };
}
