// The studio's browser module. Live previews come over SignalR (/hubs/jobs, WatchJob) and go straight into an
// <img> as blob URLs, so no image bytes pass through Blazor's render tree or circuit.
let connection = null;
let started = null;
const active = new Set();

function hub() {
    if (!connection) {
        connection = new signalR.HubConnectionBuilder()
            .withUrl('/hubs/jobs')
            .withAutomaticReconnect()
            .build();
        // Streams do not survive a reconnect: subscribe again.
        connection.onreconnected(() => active.forEach(w => w.subscribe()));
        started = startUntilConnected(connection);
    }
    return started.then(() => connection);
}

// The automatic reconnect covers a connection that drops, not a first start that fails (the server restarting, or
// its backplane away): that is tried again, at the reconnect's own pace and then every 30 s, so that the previews of a
// page opened meanwhile come once the server can take the connection. The watchers waiting meanwhile subscribe then.
async function startUntilConnected(c) {
    const delays = [0, 2000, 10000, 30000];
    for (let attempt = 0; ; attempt++) {
        try {
            await c.start();
            return;
        } catch (err) {
            console.warn('live previews unavailable; trying again', err);
            await new Promise(resolve => setTimeout(resolve, delays[Math.min(attempt + 1, delays.length - 1)]));
        }
    }
}

function toBytes(png) {
    if (png instanceof Uint8Array) return png;
    const text = atob(png);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
}

export function watch(img, jobId) {
    // The <img> may have shown another job's frames: a new job starts from the empty checkerboard.
    img.removeAttribute('src');
    img.classList.remove('has-frame');
    delete img.dataset.frames;
    delete img.dataset.step;
    delete img.dataset.status;
    let url = null;
    let frames = 0;
    let lastStep = -1;
    let shownFromHttp = false;
    let subscription = null;
    let stopped = false;

    // Frames are JPEG from the worker (frame.type); a relayed one may be another format.
    const show = (bytes, step, type) => {
        const next = URL.createObjectURL(new Blob([bytes], { type: type || 'image/jpeg' }));
        img.src = next;
        if (url) URL.revokeObjectURL(url);
        url = next;
        frames++;
        lastStep = step;
        img.dataset.frames = String(frames);
        img.dataset.step = String(step);
        img.classList.add('has-frame');
    };

    const watcher = {
        subscribe() {
            hub().then(c => {
                if (stopped) return;
                subscription?.dispose();
                subscription = c.stream('WatchJob', jobId).subscribe({
                    next: frame => {
                        if (stopped) return; // a frame already in flight when the view moved on to another job
                        img.dataset.status = frame.status;
                        // The stream may first replay a step older than the frame fetched over HTTP: never go back to it.
                        if (frame.png && frame.step !== lastStep && !(shownFromHttp && frame.step < lastStep)) {
                            shownFromHttp = false;
                            show(toBytes(frame.png), frame.step, frame.type);
                        }
                    },
                    error: err => console.warn('preview stream ended', err),
                    complete: () => { },
                });
            });
        },
        stop() {
            stopped = true;
            active.delete(watcher);
            subscription?.dispose();
            subscription = null;
        },
    };

    // A view that re-attaches shows the latest frame at once, before the stream's next step.
    fetch(`/api/jobs/${jobId}/preview`, { credentials: 'same-origin', cache: 'no-store' })
        .then(r => r.status === 200 ? r.arrayBuffer().then(b => ({ b, step: Number(r.headers.get('X-Preview-Step')), type: r.headers.get('Content-Type') })) : null)
        .then(got => { if (got && !stopped && frames === 0) { shownFromHttp = true; show(new Uint8Array(got.b), got.step, got.type); } })
        .catch(() => { });

    active.add(watcher);
    watcher.subscribe();
    return watcher;
}

export function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
        return navigator.clipboard.writeText(text).then(() => true, () => fallbackCopy(text));
    }
    return Promise.resolve(fallbackCopy(text));
}

function fallbackCopy(text) {
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
}

// Keyboard: Ctrl/Cmd+Enter in a prompt box presses Generate; Enter in Refine's instruction box sends it, as a chat
// does (Shift+Enter starts a new line); Esc cancels the running job shown on the page (unless a dialog, menu or
// lightbox is open: Esc closes that first). One listener per page, whatever imports the module.
if (!window.__studioKeys) {
    window.__studioKeys = true;
    document.addEventListener('keydown', e => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && e.target?.closest?.('#prompt, #negative-prompt')) {
            const generate = document.getElementById('generate');
            if (generate && !generate.disabled) {
                e.preventDefault();
                generate.click();
            }
        } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.target?.closest?.('#refine-instruction')) {
            e.preventDefault();
            const send = document.getElementById('refine-generate');
            if (send && !send.disabled) send.click();
        } else if (e.key === 'Escape' && !e.defaultPrevented
            && !document.querySelector('.mud-popover-open, .mud-dialog-container, .mud-overlay-drawer, [aria-modal="true"]')) {
            document.getElementById('cancel-job')?.click();
        }
    });
    // A PNG dropped on the Generate form: a field still being typed in commits first, so that the PNG's value, put in
    // after it, stays. Otherwise the field's text, committed when it loses the focus later, wins over the PNG's.
    document.addEventListener('drop', e => {
        if (e.target?.id === 'import-png' && document.activeElement instanceof HTMLElement) document.activeElement.blur();
    }, true);
}

// After a submit on a narrow screen the job panel is below the form: bring it into view.
export function reveal(id) {
    const element = document.getElementById(id);
    if (!element) return;
    const box = element.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight - 80) {
        element.scrollIntoView({ behavior: 'smooth', block: 'start' });
    }
}

// Notifications are opt-in, asked for on a click (browsers refuse or penalise asking on load).
const notifyKey = 'webstudio.notify';

export function notificationsEnabled() {
    return 'Notification' in window && Notification.permission === 'granted' && localStorage.getItem(notifyKey) === 'on';
}

export async function toggleNotifications() {
    if (!('Notification' in window)) return 'unsupported';
    if (notificationsEnabled()) {
        localStorage.removeItem(notifyKey);
        return 'off';
    }
    const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    if (permission !== 'granted') return 'denied';
    localStorage.setItem(notifyKey, 'on');
    return 'on';
}

// A finished job, told only when the tab is hidden (a visible tab shows it anyway).
export function notifyFinished(title, body) {
    if (!document.hidden || !notificationsEnabled()) return false;
    const note = new Notification(title, { body, tag: 'webstudio-job' });
    note.onclick = () => { window.focus(); note.close(); };
    return true;
}
