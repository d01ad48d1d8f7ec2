using System.Net.Http.Headers;
using System.Text;

namespace WebStudio.Hardening.Tests.BadInputs;

/// <summary>
/// The studio's own endpoints under /api, called with the user's login cookie: jobs, history, images, galleries,
/// share links, uploads, masks, edits and the parameters reader. Every answer names the field or the limit.
/// </summary>
public static class ApiBadInputs
{
    private const string Json = "application/json";

    public static IEnumerable<BadInput> All()
    {
        var cases = new List<BadInput>();
        Jobs(cases);
        Ids(cases);
        History(cases);
        Galleries(cases);
        Shares(cases);
        Uploads(cases);
        Edits(cases);
        ParametersReader(cases);
        return cases;
    }

    private static void Jobs(List<BadInput> cases)
    {
        const string jobs = "/api/jobs";
        cases.Add(Post("jobs as text/plain", jobs, Job(""), "text/plain", 415, "application/json"));
        cases.Add(Post("jobs as multipart", jobs, "--b\r\n\r\n--b--\r\n", "multipart/form-data; boundary=b", 415, "application/json"));
        cases.Add(Post("jobs as urlencoded form", jobs, "prompt=a", "application/x-www-form-urlencoded", 415, "application/json"));
        cases.Add(Post("jobs as xml", jobs, "<job><prompt>a</prompt></job>", "application/xml", 415, "application/json"));
        cases.Add(Send("jobs without a body", HttpMethod.Post, jobs, null, null, 400, "body"));
        cases.Add(Post("jobs with an empty body", jobs, "", Json, 400, "body"));
        cases.Add(Post("jobs body not json", jobs, "hello", Json, 400, "JSON"));
        cases.Add(Post("jobs truncated json", jobs, """{"prompt":"a""", Json, 400, "JSON"));
        cases.Add(Post("jobs trailing comma", jobs, """{"prompt":"a",}""", Json, 400, "JSON"));
        cases.Add(Post("jobs json with comments", jobs, """{"prompt":"a" /* hi */}""", Json, 400, "JSON"));
        cases.Add(Post("jobs json array", jobs, """[{"prompt":"a"}]""", Json, 400, "JSON object"));
        cases.Add(Post("jobs json string", jobs, "\"a cat\"", Json, 400, "JSON object"));
        cases.Add(Post("jobs json null", jobs, "null", Json, 400, "body"));
        cases.Add(Post("jobs nested 10,000 deep in prompt", jobs, "{\"prompt\":" + new string('[', 10_000) + new string(']', 10_000) + "}", Json, 400, "prompt"));
        cases.Add(Post("jobs nested 10,000 deep in an unknown field", jobs, "{\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}", Json, 400, "x"));
        cases.Add(Post("jobs unknown field", jobs, Job("\"negative\":\"b\""), Json, 400, "negative"));
        cases.Add(Bytes("jobs invalid UTF-8 prompt", jobs, Utf8("{\"model\":\"tiny\",\"prompt\":\"", [0xFF, 0xFE], "\"}"), 400, "prompt"));
        cases.Add(Bytes("jobs invalid UTF-8 negative prompt", jobs, Utf8("{\"model\":\"tiny\",\"prompt\":\"a\",\"negativePrompt\":\"", [0xC3, 0x28], "\"}"), 400, "negativePrompt"));
        cases.Add(Post("jobs lone surrogate prompt", jobs, Job("\"prompt\":\"\\ud800\""), Json, 400, "prompt"));
        cases.Add(Post("jobs prompt of 1 MB", jobs, Job($"\"prompt\":\"{new string('a', 1_000_000)}\""), Json, 400, "prompt"));
        cases.Add(Post("jobs negative prompt of 1 MB", jobs, Job($"\"negativePrompt\":\"{new string('n', 1_000_000)}\""), Json, 400, "negativePrompt"));
        cases.Add(Post("jobs prompt as number", jobs, Job("\"prompt\":42"), Json, 400, "prompt"));
        cases.Add(Post("jobs prompt as array", jobs, Job("\"prompt\":[\"a\"]"), Json, 400, "prompt"));
        cases.Add(Post("jobs prompt as object", jobs, Job("\"prompt\":{\"text\":\"a\"}"), Json, 400, "prompt"));
        cases.Add(Post("jobs prompt null", jobs, Job("\"prompt\":null"), Json, 400, "prompt"));
        foreach (var (value, word) in new[] { ("1000000000", "steps"), ("0", "steps"), ("-1", "steps"), ("1.5", "steps"), ("1e400", "steps"), ("\"many\"", "steps"), ("true", "steps"), ("null", "steps") })
        {
            cases.Add(Post($"jobs steps {value}", jobs, Job($"\"steps\":{value}"), Json, 400, word));
        }

        foreach (var side in new[] { "width", "height" })
        {
            foreach (var value in new[] { "-64", "0", "65", "100000", "2147483648", "\"wide\"" })
            {
                cases.Add(Post($"jobs {side} {value}", jobs, Job($"\"{side}\":{value}"), Json, 400, side));
            }
        }

        foreach (var value in new[] { "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "NaN", "1e400", "-1", "31" })
        {
            cases.Add(Post($"jobs guidance {value}", jobs, Job($"\"guidance\":{value}"), Json, 400, value == "NaN" ? "JSON" : "guidance"));
        }

        foreach (var value in new[] { "0", "-1", "1000", "\"two\"" })
        {
            cases.Add(Post($"jobs batchSize {value}", jobs, Job($"\"batchSize\":{value}"), Json, 400, "batchSize"));
        }

        cases.Add(Post("jobs seed 1e30", jobs, Job("\"seed\":1e30"), Json, 400, "seed"));
        cases.Add(Post("jobs seed as text", jobs, Job("\"seed\":\"lucky\""), Json, 400, "seed"));
        cases.Add(Post("jobs unknown scheduler", jobs, Job("\"scheduler\":\"Zeta\""), Json, 400, "scheduler"));
        cases.Add(Post("jobs scheduler as number", jobs, Job("\"scheduler\":5"), Json, 400, "scheduler"));
        cases.Add(Post("jobs model as a path", jobs, Job("\"model\":\"../../etc/passwd\""), Json, 400, "model"));
        cases.Add(Post("jobs model as an absolute path", jobs, Job("\"model\":\"/etc/passwd\""), Json, 400, "model"));
    }

    private static void Ids(List<BadInput> cases)
    {
        // Every route with an id, given ids that are not ids or try to walk out of their folder.
        var routes = new (string Method, string Template)[]
        {
            ("GET", "/api/jobs/{0}"), ("GET", "/api/jobs/{0}/preview"), ("POST", "/api/jobs/{0}/cancel"), ("GET", "/api/images/{0}"),
            ("GET", "/api/images/{0}/thumb"), ("GET", "/api/history/{0}"), ("DELETE", "/api/history/{0}"), ("GET", "/api/uploads/{0}"),
            ("GET", "/api/galleries/{0}"), ("DELETE", "/api/shares/{0}"),
        };
        foreach (var (method, template) in routes)
        {
            foreach (var id in V1BadInputs.TraversalIds.Take(4))
            {
                cases.Add(Send($"{method} {template} with id {id}", new HttpMethod(method), string.Format(template, id), null, null, 404, "Not Found"));
            }

            cases.Add(Send($"{method} {template} with an unknown id", new HttpMethod(method), string.Format(template, Guid.NewGuid()), null, null, 404, "Not Found"));
        }

        cases.Add(Send("images download=maybe", HttpMethod.Get, "/api/images/{image}?download=maybe", null, null, 400, "download"));
        cases.Add(Send("unknown api route", HttpMethod.Get, "/api/secrets", null, null, 404, "Not Found"));
        cases.Add(Send("10 kB api path", HttpMethod.Get, "/api/jobs/" + new string('j', 10_000), null, null, 414, "URI Too Long"));
    }

    private static void History(List<BadInput> cases)
    {
        foreach (var take in new[] { "-1", "0", "201", "1000000000" })
        {
            cases.Add(Send($"history take={take}", HttpMethod.Get, $"/api/history?take={take}", null, null, 400, "between 1 and 200"));
        }

        cases.Add(Send("history take=abc", HttpMethod.Get, "/api/history?take=abc", null, null, 400, "take"));
        cases.Add(Send("history take=NaN", HttpMethod.Get, "/api/history?take=NaN", null, null, 400, "take"));
        cases.Add(Send("history from=yesterday", HttpMethod.Get, "/api/history?from=yesterday", null, null, 400, "from"));
        cases.Add(Send("history to=2024-13-45", HttpMethod.Get, "/api/history?to=2024-13-45", null, null, 400, "to"));
        cases.Add(Send("history status=exploded", HttpMethod.Get, "/api/history?status=exploded", null, null, 400, "status"));
        cases.Add(Send("history forged cursor", HttpMethod.Get, "/api/history?cursor=..%2F..%2Fetc", null, null, 400, "cursor"));
        cases.Add(Send("history 10 kB search", HttpMethod.Get, "/api/history?q=" + new string('q', 10_000), null, null, 414, "URI Too Long"));
        cases.Add(Send("history rerun newSeed=maybe", HttpMethod.Post, "/api/history/{job}/rerun?newSeed=maybe", null, null, 400, "newSeed"));
    }

    private static void Galleries(List<BadInput> cases)
    {
        cases.Add(Post("galleries as text/plain", "/api/galleries", """{"name":"a"}""", "text/plain", 415, "application/json"));
        cases.Add(Post("galleries name as number", "/api/galleries", """{"name":5}""", Json, 400, "name"));
        cases.Add(Post("galleries blank name", "/api/galleries", """{"name":"   "}""", Json, 400, "name"));
        cases.Add(Post("galleries name of 1 MB", "/api/galleries", $$"""{"name":"{{new string('g', 1_000_000)}}"}""", Json, 400, "name"));
        cases.Add(Post("galleries description of 1 MB", "/api/galleries", $$"""{"name":"a","description":"{{new string('d', 1_000_000)}}"}""", Json, 400, "description"));
        cases.Add(Post("galleries lone surrogate name", "/api/galleries", """{"name":"\udfff"}""", Json, 400, "name"));
        cases.Add(Post("galleries unknown field", "/api/galleries", """{"name":"a","owner":"someone-else"}""", Json, 400, "owner"));
        cases.Add(Post("galleries nested 10,000 deep", "/api/galleries", "{\"name\":" + new string('{', 10_000) + new string('}', 10_000) + "}", Json, 400, "name"));
        cases.Add(Send("galleries rename with a number", HttpMethod.Patch, "/api/galleries/{gallery}", """{"name":[]}""", Json, 400, "name"));
        cases.Add(Send("galleries move index as text", HttpMethod.Post, "/api/galleries/{gallery}/move", """{"index":"first"}""", Json, 400, "index"));
        cases.Add(Send("galleries move index 1e12", HttpMethod.Post, "/api/galleries/{gallery}/move", """{"index":1e12}""", Json, 400, "index"));
        cases.Add(Send("galleries move image index NaN", HttpMethod.Post, "/api/galleries/{gallery}/images/{image}/move", """{"index":"NaN"}""", Json, 400, "index"));
        cases.Add(Send("galleries add image with a traversal id", HttpMethod.Put, "/api/galleries/{gallery}/images/..%2F..%2Fstudio.db", null, null, 404, "Not Found"));
        cases.Add(Send("galleries cover with an unknown image", HttpMethod.Put, $"/api/galleries/{{gallery}}/cover/{Guid.NewGuid()}", null, null, 404, "Not Found"));
    }

    private static void Shares(List<BadInput> cases)
    {
        const string shares = "/api/images/{image}/shares";
        cases.Add(Post("shares as text/plain", shares, "{}", "text/plain", 415, "application/json"));
        cases.Add(Post("shares expiresAt=tomorrow", shares, """{"expiresAt":"tomorrow"}""", Json, 400, "expiresAt"));
        cases.Add(Post("shares expiresAt in the past", shares, """{"expiresAt":"2001-01-01T00:00:00Z"}""", Json, 400, "expiresAt"));
        cases.Add(Post("shares hidePrompts=yes", shares, """{"hidePrompts":"yes"}""", Json, 400, "hidePrompts"));
        cases.Add(Post("shares label of 1 MB", shares, $$"""{"label":"{{new string('l', 1_000_000)}}"}""", Json, 400, "label"));
        cases.Add(Post("shares unknown field", shares, """{"token":"mine"}""", Json, 400, "token"));
        cases.Add(Post("gallery shares as json array", "/api/galleries/{gallery}/shares", "[]", Json, 400, "JSON object"));
    }

    private static void Uploads(List<BadInput> cases)
    {
        foreach (var path in new[] { "/api/uploads", "/api/masks?source=upload:{upload}" })
        {
            var what = path.Contains("masks", StringComparison.Ordinal) ? "mask" : "upload";
            cases.Add(Post($"{what} as text/plain", path, "hello", "text/plain", 415, "multipart/form-data"));
            cases.Add(Post($"{what} as json", path, "{}", Json, 415, "multipart/form-data"));
            cases.Add(Form($"{what} without a file", path, 400, "file", Text("name", "x")));
            cases.Add(Form($"{what} file in the wrong field", path, 400, "file", File("image", () => Pngs.Small())));
            cases.Add(Form($"{what} of text bytes", path, 415, what == "mask" ? "mask" : "image", File("file", () => Encoding.UTF8.GetBytes("not a picture at all"))));
            cases.Add(Form($"{what} empty file", path, 400, "file", File("file", () => [])));
            cases.Add(Form($"{what} SVG renamed .png", path, 415, what == "mask" ? "mask" : "image", File("file", () => Encoding.UTF8.GetBytes(Pngs.Svg))));
            cases.Add(Form($"{what} HTML renamed .png", path, 415, what == "mask" ? "mask" : "image", File("file", () => Encoding.UTF8.GetBytes(Pngs.Html))));
            cases.Add(Form($"{what} truncated png", path, 400, what == "mask" ? "mask" : "image", File("file", () => Pngs.Small()[..60])));
            cases.Add(Form($"{what} 30000x30000 bomb", path, 400, "30000", File("file", () => PngFiles.Bomb(30_000, 30_000))));
            cases.Add(Form($"{what} over 20 MB", path, 413, "20 MB", File("file", () => new byte[21 * 1024 * 1024])));
            cases.Add(Post($"{what} multipart boundary mismatch", path, "--other\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\nx\r\n--other--\r\n", "multipart/form-data; boundary=expected", 400, "file"));
            cases.Add(Post($"{what} truncated multipart", path, "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\u0089PNG", "multipart/form-data; boundary=b", 400, "file"));
            cases.Add(Post($"{what} multipart without boundary", path, "--x\r\n\r\n", "multipart/form-data", 400, "file"));
        }

        cases.Add(Form("mask without a source", "/api/masks", 404, "source", File("file", () => Pngs.Small())));
        cases.Add(Form("mask for a traversal source", "/api/masks?source=upload:..%2F..%2Fstudio.db", 404, "source", File("file", () => Pngs.Small())));
        cases.Add(Form("mask for an absolute source", "/api/masks?source=%2Fetc%2Fpasswd", 404, "source", File("file", () => Pngs.Small())));
        cases.Add(Form("api mask of the wrong size", "/api/masks?source=upload:{upload}", 400, "mask", File("file", () => Pngs.Small(8, 8))));
    }

    private static void Edits(List<BadInput> cases)
    {
        const string edits = "/api/edits";
        cases.Add(Post("edits as text/plain", edits, "{}", "text/plain", 415, "application/json"));
        cases.Add(Post("edits unknown operation", edits, """{"operation":"Explode","source":"upload:{upload}"}""", Json, 400, "operation"));
        cases.Add(Post("edits operation as number", edits, """{"operation":99,"source":"upload:{upload}"}""", Json, 400, "operation"));
        foreach (var source in new[] { "../../etc/passwd", "upload:../../studio.db", "image:%2e%2e", "/etc/passwd", "C:\\\\Windows\\\\win.ini", "upload:" + Guid.NewGuid(), "" })
        {
            cases.Add(Post($"edits source {source}", edits, $$"""{"operation":"Restyle","source":"{{source}}","prompt":"a"}""", Json, 400, "source"));
        }

        cases.Add(Post("edits steps 10^9", edits, Edit("\"steps\":1000000000"), Json, 400, "steps"));
        cases.Add(Post("edits strength NaN", edits, Edit("\"strength\":\"NaN\""), Json, 400, "strength"));
        cases.Add(Post("edits strength Infinity", edits, Edit("\"strength\":1e400"), Json, 400, "strength"));
        cases.Add(Post("edits maskBlur -1", edits, """{"operation":"Inpaint","source":"upload:{upload}","prompt":"a","maskBlur":-1}""", Json, 400, "mask"));
        cases.Add(Post("edits outpaint 100000", edits, """{"operation":"Outpaint","source":"upload:{upload}","prompt":"a","outpaintLeft":100000}""", Json, 400, "outpaint"));
        cases.Add(Post("edits upscaleFactor 3", edits, """{"operation":"Upscale","source":"upload:{upload}","upscaleFactor":3}""", Json, 400, "upscale"));
        cases.Add(Post("edits upscaler as a path", edits, """{"operation":"Upscale","source":"upload:{upload}","upscaler":"../../etc/passwd"}""", Json, 400, "upscaler"));
        cases.Add(Post("edits maskId not a guid", edits, """{"operation":"Inpaint","source":"upload:{upload}","maskId":"../mask"}""", Json, 400, "maskId"));
        cases.Add(Post("edits prompt of 1 MB", edits, Edit($"\"prompt\":\"{new string('e', 1_000_000)}\""), Json, 400, "prompt"));
        cases.Add(Bytes("edits invalid UTF-8 prompt", edits, Utf8("{\"operation\":\"Restyle\",\"source\":\"x\",\"prompt\":\"", [0xFF], "\"}"), 400, "prompt"));
        cases.Add(Post("edits unknown field", edits, Edit("\"image\":\"data:image/png;base64,AAAA\""), Json, 400, "image"));
    }

    private static void ParametersReader(List<BadInput> cases)
    {
        const string read = "/api/parameters/read";
        cases.Add(Post("parameters/read as text/plain", read, "parameters: a", "text/plain", 415, "multipart"));
        cases.Add(Form("parameters/read without a file", read, 400, "file", Text("file", "not a file")));
        cases.Add(Form("parameters/read text bytes", read, 400, "not a PNG", File("file", () => Encoding.UTF8.GetBytes("Steps: 20, Sampler: Euler"))));
        cases.Add(Form("parameters/read SVG renamed .png", read, 400, "not a PNG", File("file", () => Encoding.UTF8.GetBytes(Pngs.Svg))));
        cases.Add(Form("parameters/read HTML renamed .png", read, 400, "not a PNG", File("file", () => Encoding.UTF8.GetBytes(Pngs.Html))));
        cases.Add(Form("parameters/read truncated png", read, 400, "PNG", File("file", () => Pngs.Small()[..40])));
        cases.Add(Form("parameters/read png without parameters", read, 400, "parameters", File("file", () => Pngs.Small())));
        cases.Add(Form("parameters/read 30000x30000 bomb", read, 400, "parameters", File("file", () => PngFiles.Bomb(30_000, 30_000))));

        // Text chunks built to cost the parser: their limit is Parsers' part of the issue (branch h16-parsers).
        cases.Add(Form("parameters/read oversized tEXt of 200 kB without a colon", read, 400, "larger than", File("file", () => Pngs.WithText("tEXt", Encoding.Latin1.GetBytes(new string('A', 200_000))))));
        cases.Add(Form("parameters/read oversized tEXt of 5 MB", read, 400, "larger than", File("file", () => Pngs.WithText("tEXt", Encoding.Latin1.GetBytes(new string('A', 5_000_000))))));
        cases.Add(Form("parameters/read oversized zTXt inflating to 200 MB", read, 400, "larger than", File("file", () => Pngs.WithText("zTXt", Pngs.Deflated(200_000_000)))));
    }

    /// <summary>A valid job with <paramref name="fields"/> added last: a repeated field overrides the valid one.</summary>
    private static string Job(string fields) =>
        "{\"model\":\"tiny\",\"prompt\":\"a\",\"width\":64,\"height\":64,\"steps\":2" + (fields.Length > 0 ? "," + fields : "") + "}";

    private static string Edit(string fields) => "{\"operation\":\"Restyle\",\"source\":\"upload:{upload}\",\"prompt\":\"a\"," + fields + "}";

    private static byte[] Utf8(string before, byte[] middle, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];

    /// <summary>{job}, {image}, {gallery} and {upload} in a path or body become the studio's real ids.</summary>
    private static string Fill(string text, BadInputStudio studio) => text
        .Replace("{job}", studio.JobId.ToString(), StringComparison.Ordinal)
        .Replace("{image}", studio.ImageId.ToString(), StringComparison.Ordinal)
        .Replace("{gallery}", studio.GalleryId.ToString(), StringComparison.Ordinal)
        .Replace("{upload}", studio.UploadId.ToString(), StringComparison.Ordinal);

    private static HttpBadInput Post(string name, string path, string body, string contentType, int status, string names) =>
        Send(name, HttpMethod.Post, path, body, contentType, status, names);

    private static HttpBadInput Send(string name, HttpMethod method, string path, string? body, string? contentType, int status, string names) =>
        new(name, Caller.Cookie, studio =>
        {
            var request = new HttpRequestMessage(method, Fill(path, studio));
            if (body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Fill(body, studio)));
                if (contentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }
            }

            return request;
        }, status, names);

    private static HttpBadInput Bytes(string name, string path, byte[] body, int status, string names) =>
        new(name, Caller.Cookie, studio =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Fill(path, studio)) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(Json);
            return request;
        }, status, names);

    private static HttpBadInput Form(string name, string path, int status, string names, params Action<MultipartFormDataContent>[] parts) =>
        new(name, Caller.Cookie, studio =>
        {
            var form = new MultipartFormDataContent();
            foreach (var part in parts)
            {
                part(form);
            }

            return new HttpRequestMessage(HttpMethod.Post, Fill(path, studio)) { Content = form };
        }, status, names);

    private static Action<MultipartFormDataContent> Text(string name, string value) => form => form.Add(new StringContent(value), name);

    // The bytes are made when the request is, so that the table itself stays small.
    private static Action<MultipartFormDataContent> File(string name, Func<byte[]> bytes) => form =>
    {
        var content = new ByteArrayContent(bytes());
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(content, name, "picture.png");
    };
}
