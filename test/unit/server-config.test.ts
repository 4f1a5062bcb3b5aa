import { readServerConfig } from '../../src-server/config';

describe('readServerConfig', () => {
  it('takes flags over environment over defaults', () => {
    const config = readServerConfig(['--port', '9000', '--data-dir=/tmp/x'], {
      BESEDA_SERVER_PORT: '8000',
      BESEDA_SERVER_HOST: '0.0.0.0',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      dataDir: '/tmp/x',
      maxFrameBytes: 65536,
    });
    expect(readServerConfig([], {})).toMatchObject({
      host: '127.0.0.1',
      port: 7600,
      dataDir: 'server-data',
    });
  });

  it('refuses unknown options and bad values with a message', () => {
    expect(() => readServerConfig(['--prot', '1'], {})).toThrow(/unknown option --prot/);
    expect(() => readServerConfig(['--port'], {})).toThrow(/needs a value/);
    expect(() => readServerConfig(['--port', '70000'], {})).toThrow(/invalid --port/);
    expect(() => readServerConfig([], { BESEDA_SERVER_PORT: 'abc' })).toThrow(/port/);
  });
});
