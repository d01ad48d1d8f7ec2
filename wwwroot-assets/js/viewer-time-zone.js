// The browser's time zone (an IANA name such as Europe/Berlin), for the times the server writes into pages
// (ViewerClock): kept in a cookie, which the next page load sends. Runs on every page, the sign-in page included, so
// that the first page after signing in already shows the viewer's own clock. The circuit asks for it too
// (studioViewerTimeZone), where its page was prerendered before the cookie was there.
(() => {
  const zoneOfBrowser = () => {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
    } catch {
      return null; // no Intl: the pages keep showing UTC, and say so
    }
  };
  window.studioViewerTimeZone = zoneOfBrowser;
  const zone = zoneOfBrowser();
  const cookie = 'ws-tz=' + encodeURIComponent(zone);
  if (zone && !document.cookie.split('; ').includes(cookie)) {
    document.cookie = cookie + '; path=/; max-age=31536000; samesite=lax' + (location.protocol === 'https:' ? '; secure' : '');
  }
})();
