/**
 * Live reload for `charta dev`: served at /__charta/client.js and added to every page it serves
 * (never to the built editions). Reloads the page when its content changed, swaps the
 * stylesheets when only CSS changed, and shows content errors as an overlay.
 */
export const clientScript = `(() => {
  const events = new EventSource('/__charta/events');
  const overlayId = 'charta-dev-overlay';
  const page = location.pathname.replace(/^\\//, '') || 'index.html';

  function showErrors(messages) {
    let overlay = document.getElementById(overlayId);
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = overlayId;
      overlay.setAttribute('role', 'alert');
      overlay.style.cssText =
        'position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:2147483647;' +
        'background:#2b0b0b;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.2rem;' +
        'border-left:6px solid #e5484d;box-shadow:0 8px 30px rgba(0,0,0,.4);white-space:pre-wrap';
      document.body.append(overlay);
    }
    overlay.textContent = \`charta: the sources have errors; this page shows the last good build.\\n\\n\${messages.join('\\n')}\`;
  }

  function hideErrors() {
    document.getElementById(overlayId)?.remove();
  }

  events.addEventListener('reload', (event) => {
    const changed = JSON.parse(event.data);
    if (changed.pages === null || changed.pages.includes(page)) location.reload();
    else hideErrors();
  });
  events.addEventListener('css', () => {
    hideErrors();
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set('t', String(Date.now()));
      link.href = url.href;
    }
  });
  events.addEventListener('problems', (event) => showErrors(JSON.parse(event.data)));
})();
`;
