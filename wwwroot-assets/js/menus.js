// The bar's <details> menus (the account's, and the account pages' navigation) close as a menu does: on a click
// outside them, on Esc, and once one of their links is followed (Blazor keeps the layout, and the open menu with it).
(() => {
    if (window.studioMenus) return;
    window.studioMenus = true;
    const openMenus = () => document.querySelectorAll('details.account-menu[open], details.nav-fallback[open]');

    document.addEventListener('click', event => {
        const target = event.target instanceof Element ? event.target : null;
        for (const menu of openMenus()) {
            if (!target || !menu.contains(target) || target.closest('a[href]')) menu.open = false;
        }
    });

    document.addEventListener('keydown', event => {
        if (event.key !== 'Escape') return;
        for (const menu of openMenus()) {
            event.preventDefault(); // this Esc closes the menu, and does not also cancel Generate's job (studio.js)
            menu.open = false;
            menu.querySelector('summary')?.focus();
        }
    });
})();
