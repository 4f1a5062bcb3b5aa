import { chromiumPath } from '../support/chromium';

describe('chromiumPath', () => {
  const saved = process.env.CHROMIUM_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHROMIUM_PATH;
    else process.env.CHROMIUM_PATH = saved;
  });

  it('fails with the command that installs Chromium when it is missing, instead of skipping', () => {
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    expect(() => chromiumPath()).toThrow(
      /Chromium not found at \/nonexistent\/chromium.*apt-get install -y chromium/s,
    );
  });
});
