// An X/Y plot's grid as one PNG, as A1111's X/Y/Z plot script saves it: the cells' pictures at their own size, the X
// values over the columns, the Y values beside the rows, and a title over the grid of each Z value. Drawn in the
// browser from the pictures it already loads over HTTP, with the browser's own fonts.

// Chromium refuses canvases larger than this on a side or in all; a grid that would be is drawn smaller.
const maxSide = 16384;
const maxArea = 250_000_000;

function load(url) {
    if (!url) return Promise.resolve(null);
    const img = new Image();
    img.src = url;
    return img.decode().then(() => img, () => null);
}

// The lines that text takes at most width wide, broken between words (a word wider than that stands alone).
function wrap(ctx, text, width) {
    const lines = [];
    let line = '';
    for (const word of String(text).split(/\s+/).filter(w => w)) {
        const next = line ? `${line} ${word}` : word;
        if (line && ctx.measureText(next).width > width) {
            lines.push(line);
            line = word;
        } else {
            line = next;
        }
    }
    return line ? [...lines, line] : lines.length ? lines : [''];
}

function drawLines(ctx, lines, centerX, top, lineHeight) {
    lines.forEach((line, i) => ctx.fillText(line, centerX, top + i * lineHeight));
}

// "xy-plot-20261207-131502.png", on the browser's clock.
function fileName() {
    const now = new Date();
    const two = n => String(n).padStart(2, '0');
    return `xy-plot-${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}.png`;
}

// The A1111 "parameters" chunk of the PNG at url (tEXt, zTXt or iTXt), whole as it lies there; null without one.
async function parametersChunk(url) {
    const response = await fetch(url);
    if (!response.ok) return null;
    const png = new Uint8Array(await response.arrayBuffer());
    const view = new DataView(png.buffer);
    const latin1 = new TextDecoder('latin1');
    for (let at = 8; at + 12 <= png.length;) {
        const length = view.getUint32(at);
        const type = latin1.decode(png.subarray(at + 4, at + 8));
        const end = at + 12 + length;
        if (type === 'IEND' || end > png.length) break;
        if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') {
            const data = png.subarray(at + 8, at + 8 + length);
            const keywordEnd = data.indexOf(0);
            if (keywordEnd > 0 && latin1.decode(data.subarray(0, keywordEnd)) === 'parameters') return png.slice(at, end);
        }
        at = end;
    }
    return null;
}

// The grid carries its first picture's parameters, as A1111 saves a grid, so that dropping it on the Generate page
// fills the form. The chunk goes right after IHDR (33 bytes in): its CRC covers only itself, so it is copied as is.
async function withParameters(blob, firstCell) {
    const chunk = firstCell ? await parametersChunk(firstCell) : null;
    if (!chunk) return blob;
    const png = new Uint8Array(await blob.arrayBuffer());
    return new Blob([png.subarray(0, 33), chunk, png.subarray(33)], { type: 'image/png' });
}

// plot: { grids: [{ title, columns: [label], rows: [label], cells: [url | null, row by row] }] }. Downloads the
// grid as a PNG.
export async function saveGrid(plot) {
    const pictures = await Promise.all(plot.grids.map(g => Promise.all(g.cells.map(load))));
    const loaded = pictures.flat().filter(p => p);
    if (loaded.length === 0) throw new Error('No cell has a picture to put in the grid.');
    const cellWidth = Math.max(...loaded.map(p => p.naturalWidth));
    const cellHeight = Math.max(...loaded.map(p => p.naturalHeight));

    // A1111 sizes its labels from the cells: (width + height) / 25.
    const fontSize = Math.max(12, Math.round((cellWidth + cellHeight) / 25));
    const lineHeight = Math.round(fontSize * 1.25);
    const pad = Math.round(fontSize / 2);
    const font = `${fontSize}px system-ui, sans-serif`;
    const measure = document.createElement('canvas').getContext('2d');
    measure.font = font;

    const hasRows = plot.grids.some(g => g.rows.some(r => r));
    const widest = Math.max(0, ...plot.grids.flatMap(g => g.rows).map(r => measure.measureText(r).width));
    const rowLabelWidth = hasRows ? Math.round(Math.min(Math.max(widest, fontSize * 4), cellWidth * 1.5)) + 2 * pad : 0;
    const layouts = plot.grids.map(g => {
        const columnLines = g.columns.map(c => wrap(measure, c, cellWidth - 2 * pad));
        const rowLines = g.rows.map(r => wrap(measure, r, rowLabelWidth - 2 * pad));
        const titleHeight = g.title ? lineHeight + 2 * pad : 0;
        const headerHeight = Math.max(...columnLines.map(l => l.length)) * lineHeight + 2 * pad;
        return { grid: g, columnLines, rowLines, titleHeight, headerHeight, height: titleHeight + headerHeight + g.rows.length * cellHeight };
    });
    const width = rowLabelWidth + Math.max(...plot.grids.map(g => g.columns.length)) * cellWidth;
    const height = layouts.reduce((sum, l) => sum + l.height, 0);
    const scale = Math.min(1, maxSide / width, maxSide / height, Math.sqrt(maxArea / (width * height)));

    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.floor(width * scale));
    canvas.height = Math.max(1, Math.floor(height * scale));
    const ctx = canvas.getContext('2d');
    ctx.scale(scale, scale);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = '#000';
    ctx.font = font;
    ctx.textBaseline = 'top';

    let top = 0;
    layouts.forEach((layout, index) => {
        const g = layout.grid;
        if (g.title) {
            ctx.textAlign = 'left';
            ctx.fillText(g.title, pad, top + pad);
        }
        const header = top + layout.titleHeight;
        ctx.textAlign = 'center';
        layout.columnLines.forEach((lines, c) => {
            const blank = layout.headerHeight - 2 * pad - lines.length * lineHeight;
            drawLines(ctx, lines, rowLabelWidth + c * cellWidth + cellWidth / 2, header + pad + blank, lineHeight);
        });
        const body = header + layout.headerHeight;
        layout.rowLines.forEach((lines, r) => {
            drawLines(ctx, lines, rowLabelWidth / 2, body + r * cellHeight + (cellHeight - lines.length * lineHeight) / 2, lineHeight);
        });
        pictures[index].forEach((picture, i) => {
            if (!picture) return;
            const column = i % g.columns.length, row = Math.floor(i / g.columns.length);
            const x = rowLabelWidth + column * cellWidth + (cellWidth - picture.naturalWidth) / 2;
            const y = body + row * cellHeight + (cellHeight - picture.naturalHeight) / 2;
            ctx.drawImage(picture, x, y);
        });
        top += layout.height;
    });

    const drawn = await new Promise(resolve => canvas.toBlob(resolve, 'image/png'));
    if (!drawn) throw new Error(`The browser could not draw a grid of ${canvas.width} × ${canvas.height} pixels.`);
    const blob = await withParameters(drawn, plot.grids.flatMap(g => g.cells).find(c => c));
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = fileName();
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}
