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
        started = connection.start();
    }
    return started.then(() => connection);
}

function toBytes(png) {
    if (png instanceof Uint8Array) return png;
    const text = atob(png);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
}

export function watch(img, jobId) {
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
