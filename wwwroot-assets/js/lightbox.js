// The studio's lightbox: one viewer for every image on Generate, History, galleries and share pages. Any element
// with data-lightbox="group" (rendered by the LightboxImage component) opens it; the arrow keys move through the
// elements of that group in page order. A classic script with document-level listeners, so it works on the
// interactive pages (whose DOM Blazor re-renders) and on the static share pages alike.
(() => {
    if (window.studioLightbox) return;

    const zoomSteps = [1, 2, 3, 4, 6, 8, 12, 16];
    let root = null, image = null, stage = null, counter = null, size = null, params = null, zoomLabel = null;
    let download = null, edit = null, refine = null, gallery = null, galleryList = null, status = null;
    let items = [], index = 0, zoom = 0 /* 0: fit */, opener = null, galleries = null;

    function el(tag, attrs, children) {
        const node = document.createElement(tag);
        for (const [k, v] of Object.entries(attrs || {})) {
            if (k === 'text') node.textContent = v; else node.setAttribute(k, v);
        }
        (children || []).forEach(c => node.appendChild(c));
        return node;
    }

    function button(id, label, text, onClick) {
        const b = el('button', { type: 'button', id, 'aria-label': label, title: label, class: 'lb-button', text });
        b.addEventListener('click', onClick);
        return b;
    }

    function build() {
        image = el('img', { class: 'lb-image', id: 'lightbox-image', alt: '' });
        image.addEventListener('load', layout);
        image.addEventListener('click', () => setZoom(zoom === 0 ? nextStep(fitScale()) : 0));
        stage = el('div', { class: 'lb-stage', id: 'lightbox-stage' }, [image]);
        stage.addEventListener('wheel', e => {
            e.preventDefault();
            zoomBy(e.deltaY < 0 ? 1 : -1);
        }, { passive: false });

        counter = el('span', { class: 'lb-counter', id: 'lightbox-counter' });
        zoomLabel = el('span', { class: 'lb-zoom', id: 'lightbox-zoom' });
        const tools = el('div', { class: 'lb-tools' }, [
            button('lightbox-prev', 'Previous image (←)', '‹', () => move(-1)),
            counter,
            button('lightbox-next', 'Next image (→)', '›', () => move(1)),
            button('lightbox-zoom-out', 'Zoom out (−)', '−', () => zoomBy(-1)),
            zoomLabel,
            button('lightbox-zoom-in', 'Zoom in (+)', '+', () => zoomBy(1)),
            button('lightbox-fit', 'Fit to the window (0)', 'Fit', () => setZoom(0)),
            button('lightbox-close', 'Close (Esc)', '✕', close),
        ]);

        size = el('div', { class: 'lb-size', id: 'lightbox-size' });
        params = el('pre', { class: 'lb-params', id: 'lightbox-params' });
        download = el('a', { class: 'lb-action', id: 'lightbox-download', download: '', text: 'Download', title: 'Download the PNG with its parameters' });
        edit = el('a', { class: 'lb-action', id: 'lightbox-edit', text: 'Send to Edit', title: 'Open this image on the Edit page' });
        refine = el('a', { class: 'lb-action', id: 'lightbox-refine', text: 'Refine', title: 'Change this image by instructions, turn by turn' });
        gallery = button('lightbox-gallery', 'Add to gallery', 'Add to gallery', toggleGalleries);
        gallery.classList.add('lb-action');
        const copy = button('lightbox-copy', 'Copy parameters', 'Copy parameters', copyParameters);
        copy.classList.add('lb-action');
        galleryList = el('div', { class: 'lb-galleries', id: 'lightbox-galleries', role: 'menu', hidden: '' });
        status = el('div', { class: 'lb-status', id: 'lightbox-status', role: 'status', 'aria-live': 'polite' });
        const side = el('aside', { class: 'lb-side' }, [
            tools, size, params,
            el('div', { class: 'lb-actions' }, [download, edit, refine, gallery, copy]),
            galleryList, status,
        ]);

        root = el('div', { class: 'lb', id: 'lightbox', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Image viewer', hidden: '' }, [stage, side]);
        // A click on the dark backdrop (not on the image or the panel) closes, as in most viewers.
        stage.addEventListener('click', e => { if (e.target === stage) close(); });
        document.body.appendChild(root);
    }

    function open(trigger) {
        if (!root || !root.isConnected) build();
        const group = trigger.getAttribute('data-lightbox');
        items = Array.from(document.querySelectorAll('[data-lightbox]')).filter(e => e.getAttribute('data-lightbox') === group);
        index = Math.max(0, items.indexOf(trigger));
        opener = trigger;
        root.hidden = false;
        document.documentElement.classList.add('lb-open');
        show();
        root.querySelector('#lightbox-close').focus();
    }

    function close() {
        if (!root || root.hidden) return;
        root.hidden = true;
        document.documentElement.classList.remove('lb-open');
        image.removeAttribute('src');
        if (opener && opener.isConnected) opener.focus();
    }

    function show() {
        const item = items[index];
        const d = item.dataset;
        zoom = 0;
        status.textContent = '';
        galleryList.hidden = true;
        image.style.width = image.style.height = '';
        image.src = d.full;
        image.alt = d.alt || '';
        counter.textContent = `${index + 1} / ${items.length}`;
        root.querySelector('#lightbox-prev').disabled = index === 0;
        root.querySelector('#lightbox-next').disabled = index === items.length - 1;
        size.textContent = d.size || '';
        params.textContent = d.params || '';
        params.hidden = !d.params;
        download.href = d.download || d.full;
        const id = d.imageId;
        edit.hidden = !id || d.actions !== 'owner';
        if (!edit.hidden) edit.href = `/edit?image=${id}`;
        refine.hidden = edit.hidden;
        if (!refine.hidden) refine.href = `/refine?image=${id}`;
        gallery.hidden = edit.hidden;
        root.querySelector('#lightbox-copy').hidden = !d.params;
        layout();
    }

    function move(delta) {
        const next = index + delta;
        if (next < 0 || next >= items.length) return;
        index = next;
        show();
    }

    function fitScale() {
        const w = image.naturalWidth, h = image.naturalHeight;
        if (!w || !h) return 1;
        return Math.min(stage.clientWidth / w, stage.clientHeight / h);
    }

    function nextStep(scale) {
        return zoomSteps.find(s => s > scale * 1.01) || zoomSteps[zoomSteps.length - 1];
    }

    function zoomBy(direction) {
        const current = zoom === 0 ? fitScale() : zoom;
        if (direction > 0) {
            setZoom(nextStep(current));
        } else {
            const lower = zoomSteps.filter(s => s < current * 0.99);
            setZoom(lower.length ? lower[lower.length - 1] : 0);
        }
    }

    function setZoom(value) {
        zoom = value;
        layout();
    }

    // Sizes the image for the zoom: "fit" fills the stage, upscaling small images; an upscaled image keeps its
    // pixels sharp (image-rendering: pixelated), a shrunk one is smoothed.
    function layout() {
        const w = image.naturalWidth, h = image.naturalHeight;
        if (!w || !h) return;
        const scale = zoom === 0 ? fitScale() : zoom;
        image.style.width = `${Math.max(1, Math.floor(w * scale))}px`;
        image.style.height = `${Math.max(1, Math.floor(h * scale))}px`;
        image.classList.toggle('lb-pixelated', scale >= 1);
        stage.classList.toggle('lb-zoomed', zoom !== 0);
        zoomLabel.textContent = zoom === 0 ? `Fit ${Math.round(scale * 100)}%` : `${Math.round(scale * 100)}%`;
    }

    async function copyParameters() {
        const text = items[index].dataset.params || '';
        try {
            if (navigator.clipboard && window.isSecureContext) {
                await navigator.clipboard.writeText(text);
            } else {
                // Plain http on a LAN is no secure context: the old way still works there.
                const area = el('textarea', { readonly: '', class: 'lb-offscreen' });
                area.value = text;
                root.appendChild(area);
                area.select();
                document.execCommand('copy');
                area.remove();
            }
            status.textContent = 'Parameters copied.';
        } catch {
            status.textContent = 'Copying was refused by the browser; select the parameters and copy them.';
        }
    }

    async function toggleGalleries() {
        if (!galleryList.hidden) {
            galleryList.hidden = true;
            return;
        }

        galleryList.replaceChildren();
        try {
            const response = await fetch('/api/galleries/', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
            if (!response.ok) throw new Error(String(response.status));
            galleries = await response.json();
        } catch {
            status.textContent = 'The galleries could not be loaded.';
            return;
        }

        if (galleries.length === 0) {
            galleryList.appendChild(el('a', { href: '/galleries', role: 'menuitem', text: 'Make a gallery first…' }));
        }

        for (const g of galleries) {
            const item = el('button', { type: 'button', role: 'menuitem', class: 'lb-button', text: g.name });
            item.addEventListener('click', () => addToGallery(g));
            galleryList.appendChild(item);
        }

        galleryList.hidden = false;
    }

    async function addToGallery(g) {
        const id = items[index].dataset.imageId;
        galleryList.hidden = true;
        const response = await fetch(`/api/galleries/${g.id}/images/${id}`, { method: 'PUT', credentials: 'same-origin' });
        status.textContent = response.status === 201 ? `Added to ${g.name}.`
            : response.ok ? `Already in ${g.name}.`
            : 'That image could not be added (it may have been deleted).';
    }

    document.addEventListener('click', e => {
        const trigger = e.target instanceof Element ? e.target.closest('[data-lightbox]') : null;
        if (!trigger || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        open(trigger);
    });

    document.addEventListener('keydown', e => {
        if (!root || root.hidden) return;
        const handled = {
            ArrowLeft: () => move(-1), ArrowRight: () => move(1), Escape: close,
            '+': () => zoomBy(1), '=': () => zoomBy(1), '-': () => zoomBy(-1), '0': () => setZoom(0),
        }[e.key];
        if (!handled) return;
        // The viewer owns these keys while open (so Esc closes it rather than cancelling the running job).
        e.preventDefault();
        e.stopImmediatePropagation();
        handled();
    }, true);

    // The triggers' style too, so it is linked at once, not on the first open.
    if (!document.querySelector('link[data-lightbox-css]')) {
        document.head.appendChild(el('link', { rel: 'stylesheet', href: '/assets/css/lightbox.css', 'data-lightbox-css': '' }));
    }

    window.addEventListener('resize', () => { if (root && !root.hidden) layout(); });
    window.studioLightbox = { open, close };
})();
