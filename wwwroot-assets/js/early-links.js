// A link clicked on an interactive page before its circuit is up (the prerendered HTML, in the second or so while
// Blazor connects) changed the address and nothing else: Blazor handed the click to an interactive router that was not
// running yet. Until the layout's live marker (#circuit-live, rendered only by the circuit) is there, such a click is
// a full navigation instead: the browser loads the page it names. Once the circuit is up, Blazor's router takes links.
(() => {
    if (window.studioEarlyLinks) return;
    window.studioEarlyLinks = true;

    window.addEventListener('click', event => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        if (!document.querySelector('meta[name="studio-interactive"]') || document.getElementById('circuit-live')) return;
        const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
        if (!link || link.hasAttribute('download') || (link.target && link.target !== '_self')) return;
        const url = new URL(link.href, document.baseURI);
        if (url.origin !== location.origin) return;
        if (url.pathname === location.pathname && url.search === location.search && url.hash) return; // a place on this page
        event.preventDefault();
        event.stopImmediatePropagation();
        location.assign(url.href);
    }, true);
})();
