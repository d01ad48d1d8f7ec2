// The models page's zip upload: the file goes to /api/admin/models/zip over plain HTTP (XMLHttpRequest, for its upload
// progress), not through the Blazor circuit, which would carry gigabytes in small messages. The page hears only the
// progress, a few times a second, and the answer.
const ReportEveryMs = 250;

export function attach(input, dotnet) {
    const upload = async () => {
        const file = input.files?.[0];
        if (!file) {
            return;
        }

        // The page builds the address (with the name typed in its form) and shows the bar from 0.
        let url;
        try {
            url = await dotnet.invokeMethodAsync('UploadStarting', file.name, file.size);
        } catch {
            return; // the page is gone: nobody would see the answer
        }
        const request = new XMLHttpRequest();
        let last = 0;
        request.upload.onprogress = e => {
            const now = performance.now();
            if (now - last >= ReportEveryMs || e.loaded === e.total) {
                last = now;
                dotnet.invokeMethodAsync('UploadProgress', e.loaded, e.total).catch(() => { });
            }
        };
        request.onload = () => dotnet.invokeMethodAsync('UploadEnded', request.status, request.responseText).catch(() => { });
        request.onerror = () => dotnet.invokeMethodAsync('UploadEnded', 0, '').catch(() => { });
        request.open('POST', url);
        request.setRequestHeader('Content-Type', 'application/zip');
        request.send(file);
        input.value = ''; // the same file can be chosen again after a refusal
    };
    input.addEventListener('change', upload);
    return { dispose: () => input.removeEventListener('change', upload) };
}
