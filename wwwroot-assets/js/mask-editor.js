// The Edit page's mask editor: a canvas laid over the source image, painted with a brush and an eraser. The mask
// lives only in the browser; it leaves as a PNG (white = repaint, black = keep, the image's own size) posted by
// fetch to /api/masks, so no pixels pass through the Blazor circuit. The source itself is shown from its HTTP URL.
const MaxUndo = 40;
const Paint = 'rgb(255, 48, 48)';

export function createEditor(container, imageUrl, width, height, dotnet) {
    container.replaceChildren();
    const frame = document.createElement('div');
    // Small images (the built-in model makes 64×64) are shown larger, with crisp pixels, so they can be painted.
    frame.style.cssText = `position:relative;display:inline-block;width:min(100%, ${Math.max(width, 384)}px);line-height:0;`
        + 'border-radius:6px;overflow:hidden;user-select:none;';
    const img = document.createElement('img');
    img.src = imageUrl;
    img.alt = 'Image to inpaint';
    img.draggable = false;
    img.style.cssText = `display:block;width:100%;height:auto;aspect-ratio:${width} / ${height};image-rendering:pixelated;`;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    canvas.id = 'mask-canvas';
    canvas.style.cssText = 'position:absolute;inset:0;width:100%;height:100%;touch-action:none;cursor:crosshair;'
        + 'image-rendering:pixelated;opacity:0.5;';
    frame.append(img, canvas);
    container.append(frame);

    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    let tool = 'brush';
    let size = Math.max(2, Math.round(Math.min(width, height) / 8));
    const undo = [];
    const redo = [];
    let last = null;

    const snapshot = () => ctx.getImageData(0, 0, width, height);
    const changed = () => {
        canvas.dataset.painted = String(countPainted());
        dotnet?.invokeMethodAsync('OnMaskChanged', undo.length > 0, redo.length > 0).catch(() => { });
    };
    const remember = () => {
        undo.push(snapshot());
        if (undo.length > MaxUndo) undo.shift();
        redo.length = 0;
    };
    const countPainted = () => {
        const data = ctx.getImageData(0, 0, width, height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] >= 128) n++;
        return n;
    };
    const toCanvas = e => {
        const r = canvas.getBoundingClientRect();
        return { x: (e.clientX - r.left) * width / r.width, y: (e.clientY - r.top) * height / r.height };
    };
    const stroke = (from, to) => {
        ctx.save();
        ctx.globalCompositeOperation = tool === 'eraser' ? 'destination-out' : 'source-over';
        ctx.strokeStyle = Paint;
        ctx.fillStyle = Paint;
        ctx.lineWidth = size;
        ctx.lineCap = 'round';
        ctx.lineJoin = 'round';
        ctx.beginPath();
        if (from.x === to.x && from.y === to.y) {
            ctx.arc(to.x, to.y, size / 2, 0, Math.PI * 2);
            ctx.fill();
        } else {
            ctx.moveTo(from.x, from.y);
            ctx.lineTo(to.x, to.y);
            ctx.stroke();
        }
        ctx.restore();
    };

    const down = e => {
        if (e.button !== 0) return;
        canvas.setPointerCapture(e.pointerId);
        remember();
        last = toCanvas(e);
        stroke(last, last);
        e.preventDefault();
    };
    const move = e => {
        if (!last) return;
        const next = toCanvas(e);
        stroke(last, next);
        last = next;
    };
    const up = () => {
        if (!last) return;
        last = null;
        changed();
    };
    canvas.addEventListener('pointerdown', down);
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
    canvas.addEventListener('pointercancel', up);

    const restore = (from, to) => {
        if (from.length === 0) return;
        to.push(snapshot());
        ctx.putImageData(from.pop(), 0, 0);
        changed();
    };

    return {
        setTool(value) { tool = value === 'eraser' ? 'eraser' : 'brush'; },
        setSize(value) { size = Math.max(1, Number(value) || 1); },
        setOpacity(value) { canvas.style.opacity = String(Math.min(1, Math.max(0, Number(value)))); },
        undo() { restore(undo, redo); },
        redo() { restore(redo, undo); },
        clear() {
            remember();
            ctx.clearRect(0, 0, width, height);
            changed();
        },
        invert() {
            remember();
            const image = snapshot();
            const d = image.data;
            for (let i = 0; i < d.length; i += 4) {
                const painted = d[i + 3] >= 128;
                d[i] = 255; d[i + 1] = 48; d[i + 2] = 48;
                d[i + 3] = painted ? 0 : 255;
            }
            ctx.putImageData(image, 0, 0);
            changed();
        },
        painted() { return countPainted(); },
        // The mask as the server wants it: binary, white where painted, posted for the given source.
        async upload(source) {
            const out = document.createElement('canvas');
            out.width = width;
            out.height = height;
            const octx = out.getContext('2d');
            const from = snapshot().data;
            const mask = octx.createImageData(width, height);
            for (let i = 0; i < from.length; i += 4) {
                const v = from[i + 3] >= 128 ? 255 : 0;
                mask.data[i] = v; mask.data[i + 1] = v; mask.data[i + 2] = v; mask.data[i + 3] = 255;
            }
            octx.putImageData(mask, 0, 0);
            const blob = await new Promise(resolve => out.toBlob(resolve, 'image/png'));
            return postFile(`/api/masks?source=${encodeURIComponent(source)}`, blob, 'mask.png');
        },
        dispose() {
            canvas.removeEventListener('pointerdown', down);
            canvas.removeEventListener('pointermove', move);
            canvas.removeEventListener('pointerup', up);
            canvas.removeEventListener('pointercancel', up);
            container.replaceChildren();
        },
    };
}

// Uploads the file chosen in an <input type=file> as an edit source; answers the server's JSON or { error }.
export function uploadSource(input) {
    const file = input.files && input.files[0];
    if (!file) return Promise.resolve({ error: 'Choose an image file first.' });
    return postFile('/api/uploads', file, file.name);
}

async function postFile(url, blob, name) {
    const body = new FormData();
    body.append('file', blob, name);
    try {
        const response = await fetch(url, { method: 'POST', body, credentials: 'same-origin' });
        const json = await response.json().catch(() => null);
        if (!response.ok) return { error: json?.detail ?? `The upload failed (HTTP ${response.status}).` };
        return json;
    } catch (e) {
        return { error: `The upload failed: ${e.message}` };
    }
}
