import { expect, it } from 'vitest';
import { SseParser } from '../../../sdks/typescript/src/index.ts';

it('parses SSE across arbitrary chunk boundaries (CRLF split, comments, multi-line data, retry)', () => {
  const text =
    ': connected\r\n\r\nretry: 3000\r\n\r\nid: 1-0\r\nevent: sync.status\r\ndata: {"a":\r\ndata: 1}\r\n\r\n: heartbeat\n\nid: 1-1\nevent: sync.status\ndata:{"b":2}\n\n';
  for (let size = 1; size <= text.length; size++) {
    const messages: { event: string; data: string; id: string | undefined }[] = [];
    const retries: number[] = [];
    const parser = new SseParser(
      (m) => messages.push(m),
      (ms) => retries.push(ms),
    );
    for (let i = 0; i < text.length; i += size) parser.feed(text.slice(i, i + size));
    expect(messages).toEqual([
      { event: 'sync.status', data: '{"a":\n1}', id: '1-0' },
      { event: 'sync.status', data: '{"b":2}', id: '1-1' },
    ]);
    expect(retries).toEqual([3000]);
  }
});
