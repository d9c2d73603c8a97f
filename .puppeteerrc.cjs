// Puppeteer downloads its own Chrome on install unless told not to. Where a system Chromium or
// Chrome exists (Debian's `chromium` package, which scripts/setup.sh installs) we use that one and
// skip the download, so `npm install` also works where no browser can be downloaded.
const { existsSync } = require('node:fs');

const systemBrowsers = [
  process.env.CHARTA_BROWSER,
  process.env.PUPPETEER_EXECUTABLE_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
].filter(Boolean);

module.exports = {
  skipDownload: process.env.PUPPETEER_SKIP_DOWNLOAD === '1' || systemBrowsers.some((p) => existsSync(p)),
};
