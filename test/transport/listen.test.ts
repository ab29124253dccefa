// `--transport-listen HOST[:PORT]`: parsed once, with one-line errors naming the flag.
import { describe, expect, it } from 'vitest';
import { parseListen } from '../../src/transport/listen.ts';

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:8700', { host: '127.0.0.1', port: 8700, loopback: true, wildcard: false }],
    ['localhost', { host: 'localhost', port: 0, loopback: true, wildcard: false }],
    [':9000', { host: '127.0.0.1', port: 9000, loopback: true, wildcard: false }],
    ['0.0.0.0:8700', { host: '0.0.0.0', port: 8700, loopback: false, wildcard: true }],
    ['10.0.0.5', { host: '10.0.0.5', port: 0, loopback: false, wildcard: false }],
    ['[::1]:8700', { host: '::1', port: 8700, loopback: true, wildcard: false }],
    ['::', { host: '::', port: 0, loopback: false, wildcard: true }],
    ['coordinator.lan:80', { host: 'coordinator.lan', port: 80, loopback: false, wildcard: false }],
  ])('%s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });

  it.each(['10.0.0.5:http', '10.0.0.5:70000', 'bad host:1', 'http://10.0.0.5:8700', '[::1]:x'])('refuses %s in one line naming the flag', (text) => {
    expect(() => parseListen(text)).toThrow(new RegExp(`^--transport-listen must be HOST\\[:PORT\\], e\\.g\\. .*; got '${text.replace(/[.[\]]/g, '\\$&')}'$`));
  });
});
