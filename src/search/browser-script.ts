/**
 * The entry of `js/suche.js`, a classic script each page of the HTML edition loads with `defer`.
 * The edition's folder is the one above the script's own `js/` folder, from `file://` and hosted.
 */
import { startSearch } from './browser-search.js';

const script = document.currentScript as HTMLScriptElement | null;
const root = new URL('..', script?.src ?? location.href);

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => startSearch(root));
else startSearch(root);
