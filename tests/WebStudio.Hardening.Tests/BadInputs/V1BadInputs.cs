using System.Net.Http.Headers;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Api.Tests.Infrastructure;

namespace WebStudio.Hardening.Tests.BadInputs;

/// <summary>
/// The OpenAI-compatible API's bad inputs: authentication, JSON generations, multipart edits and variations, the
/// signed file links and the routes. Every answer is a 4xx in OpenAI's error shape; "param" names the field.
/// </summary>
public static class V1BadInputs
{
    private const string Generations = "/v1/images/generations";
    private const string Edits = "/v1/images/edits";
    private const string Variations = "/v1/images/variations";

    public static IEnumerable<BadInput> All()
    {
        var cases = new List<BadInput>();

        // Keys.
        cases.Add(V1("no key", s => Json(null, """{"prompt":"a"}"""), 401, null, "API key"));
        cases.Add(V1("empty bearer", s => WithAuth(Json(null, """{"prompt":"a"}"""), "Bearer "), 401, null, "API key"));
        cases.Add(V1("basic auth", s => WithAuth(Json(null, """{"prompt":"a"}"""), "Basic YWxpY2U6c2VjcmV0"), 401, null, "API key"));
        cases.Add(V1("unknown key", s => Json("ws-" + new string('A', 43), """{"prompt":"a"}"""), 401, null, "API key"));
        cases.Add(V1("key without prefix", s => Json("sk-proj-abc", """{"prompt":"a"}"""), 401, null, "API key"));
        cases.Add(V1("revoked key", s => Json(s.RevokedKey, """{"prompt":"a"}"""), 401, null, "API key"));
        cases.Add(V1("huge key", s => Json("ws-" + new string('x', 10_000), """{"prompt":"a"}"""), 401, null, "API key"));
        cases.Add(V1("bad key on edits", s => Form("ws-nope", Edits, ImageField(), Text("prompt", "a")), 401, null, "API key"));
        cases.Add(V1("no key on models", s => new HttpRequestMessage(HttpMethod.Get, "/v1/models"), 401, null, "API key"));

        // JSON bodies that are not a request object.
        cases.Add(V1("not json", s => Json(s.Key, "hello"), 400, null, "JSON"));
        cases.Add(V1("empty body", s => Json(s.Key, ""), 400, null, "JSON"));
        cases.Add(V1("json array", s => Json(s.Key, """[{"prompt":"a"}]"""), 400, null, "JSON object"));
        cases.Add(V1("json string", s => Json(s.Key, "\"a cat\""), 400, null, "JSON object"));
        cases.Add(V1("text/plain", s => Raw(s.Key, Generations, """{"prompt":"a"}""", "text/plain"), 400, null, "Content-Type"));
        cases.Add(V1("form instead of json", s => Form(s.Key, Generations, Text("prompt", "a")), 400, null, "Content-Type"));
        cases.Add(V1("truncated json", s => Json(s.Key, """{"prompt": "a cat" """), 400, null, "JSON"));
        cases.Add(V1("duplicate field", s => Json(s.Key, """{"prompt":"a","prompt":"b"}"""), 400, "prompt"));
        cases.Add(V1("deep nesting", s => Json(s.Key, "{\"prompt\":\"a\",\"user\":" + new string('[', 100) + new string(']', 100) + "}"), 400, null, "depth"));
        cases.Add(V1("body over 1 MB", s => Json(s.Key, "{\"prompt\":\"" + new string('a', 1_100_000) + "\"}"), 413, null, "1024 KB"));

        // prompt.
        cases.Add(V1("missing prompt", s => Json(s.Key, """{"model":"tiny"}"""), 400, "prompt"));
        cases.Add(V1("null prompt", s => Json(s.Key, """{"prompt":null}"""), 400, "prompt"));
        cases.Add(V1("number prompt", s => Json(s.Key, """{"prompt":42}"""), 400, "prompt"));
        cases.Add(V1("array prompt", s => Json(s.Key, """{"prompt":["a","b"]}"""), 400, "prompt"));
        cases.Add(V1("object prompt", s => Json(s.Key, """{"prompt":{"text":"a"}}"""), 400, "prompt"));
        cases.Add(V1("empty prompt", s => Json(s.Key, """{"prompt":""}"""), 400, "prompt"));
        cases.Add(V1("blank prompt", s => Json(s.Key, """{"prompt":"   "}"""), 400, "prompt"));
        cases.Add(V1("prompt of 2001 chars", s => Json(s.Key, $$"""{"prompt":"{{new string('a', 2001)}}"}"""), 400, "prompt"));
        cases.Add(V1("prompt of 200k chars", s => Json(s.Key, $$"""{"prompt":"{{new string('a', 200_000)}}"}"""), 400, "prompt"));

        // n.
        cases.Add(V1("n=0", s => Json(s.Key, """{"prompt":"a","n":0}"""), 400, "n"));
        cases.Add(V1("n=11", s => Json(s.Key, """{"prompt":"a","n":11}"""), 400, "n"));
        cases.Add(V1("n=-1", s => Json(s.Key, """{"prompt":"a","n":-1}"""), 400, "n"));
        cases.Add(V1("n as string", s => Json(s.Key, """{"prompt":"a","n":"2"}"""), 400, "n"));
        cases.Add(V1("n=1.5", s => Json(s.Key, """{"prompt":"a","n":1.5}"""), 400, "n"));
        cases.Add(V1("n=1e10", s => Json(s.Key, """{"prompt":"a","n":1e10}"""), 400, "n"));
        cases.Add(V1("n=true", s => Json(s.Key, """{"prompt":"a","n":true}"""), 400, "n"));

        // size.
        foreach (var size in new[] { "7x7", "99999x99999", "512", "512x", "x512", "100x100", "4096x4096", "0x0", "-64x64", "64X64", "64x64x64", "sixty-fourxsixty-four", "2056x64", "1e3x64" })
        {
            cases.Add(V1($"size {size}", s => Json(s.Key, $$"""{"prompt":"a","size":"{{size}}"}"""), 400, "size"));
        }

        cases.Add(V1("size as number", s => Json(s.Key, """{"prompt":"a","size":512}"""), 400, "size"));

        // The other enumerations and numbers.
        cases.Add(V1("quality ultra", s => Json(s.Key, """{"prompt":"a","quality":"ultra"}"""), 400, "quality"));
        cases.Add(V1("quality as number", s => Json(s.Key, """{"prompt":"a","quality":1}"""), 400, "quality"));
        cases.Add(V1("response_format xml", s => Json(s.Key, """{"prompt":"a","response_format":"xml"}"""), 400, "response_format"));
        cases.Add(V1("output_format gif", s => Json(s.Key, """{"prompt":"a","output_format":"gif"}"""), 400, "output_format"));
        cases.Add(V1("output_compression 101", s => Json(s.Key, """{"prompt":"a","output_compression":101}"""), 400, "output_compression"));
        cases.Add(V1("output_compression -1", s => Json(s.Key, """{"prompt":"a","output_compression":-1}"""), 400, "output_compression"));
        cases.Add(V1("output_compression as string", s => Json(s.Key, """{"prompt":"a","output_compression":"50"}"""), 400, "output_compression"));
        cases.Add(V1("background transparent", s => Json(s.Key, """{"prompt":"a","background":"transparent"}"""), 400, "background"));
        cases.Add(V1("background green", s => Json(s.Key, """{"prompt":"a","background":"green"}"""), 400, "background"));
        cases.Add(V1("stream as string", s => Json(s.Key, """{"prompt":"a","stream":"yes"}"""), 400, "stream"));
        cases.Add(V1("partial_images 4", s => Json(s.Key, """{"prompt":"a","stream":true,"partial_images":4}"""), 400, "partial_images"));
        cases.Add(V1("partial_images -1", s => Json(s.Key, """{"prompt":"a","stream":true,"partial_images":-1}"""), 400, "partial_images"));
        cases.Add(V1("user too long", s => Json(s.Key, $$"""{"prompt":"a","user":"{{new string('u', 300)}}"}"""), 400, "user"));
        cases.Add(V1("user as number", s => Json(s.Key, """{"prompt":"a","user":7}"""), 400, "user"));
        cases.Add(V1("moderation strict", s => Json(s.Key, """{"prompt":"a","moderation":"strict"}"""), 400, "moderation"));
        cases.Add(V1("unknown field", s => Json(s.Key, """{"prompt":"a","negative":"b"}"""), 400, "negative"));

        // model.
        cases.Add(V1("unknown model", s => Json(s.Key, """{"prompt":"a","model":"dall-e-3"}"""), 404, "model"));
        cases.Add(V1("path as model", s => Json(s.Key, """{"prompt":"a","model":"../tiny"}"""), 404, "model"));
        cases.Add(V1("empty model", s => Json(s.Key, """{"prompt":"a","model":""}"""), 400, "model"));
        cases.Add(V1("model as number", s => Json(s.Key, """{"prompt":"a","model":3}"""), 400, "model"));
        cases.Add(V1("unknown model on edits", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("model", "gpt-image-1")), 404, "model"));
        cases.Add(V1("unknown model by id", s => Get(s.Key, "/v1/models/dall-e-2"), 404, "model"));

        // Multipart edits.
        cases.Add(V1("edit as json", s => Raw(s.Key, Edits, """{"prompt":"a"}""", "application/json"), 400, null, "multipart"));
        cases.Add(V1("edit without image", s => Form(s.Key, Edits, Text("prompt", "a")), 400, "image"));
        cases.Add(V1("image as text field", s => Form(s.Key, Edits, Text("image", "aGVsbG8="), Text("prompt", "a")), 400, "image"));
        cases.Add(V1("non-image bytes", s => Form(s.Key, Edits, File("image", Encoding.UTF8.GetBytes("this is not a picture")), Text("prompt", "a")), 400, "image"));
        cases.Add(V1("empty image file", s => Form(s.Key, Edits, File("image", []), Text("prompt", "a")), 400, "image"));
        cases.Add(V1("truncated png", s => Form(s.Key, Edits, File("image", TestImages.Bands()[..(TestImages.Bands().Length / 2)]), Text("prompt", "a")), 400, "image"));
        cases.Add(V1("gif image", s => Form(s.Key, Edits, File("image", Gif()), Text("prompt", "a")), 400, "image"));
        cases.Add(V1("png declaring a huge canvas", s => Form(s.Key, Edits, File("image", HugeCanvasPng()), Text("prompt", "a")), 400, "image"));
        cases.Add(V1("image over 20 MB", s => Form(s.Key, Edits, File("image", new byte[21 * 1024 * 1024]), Text("prompt", "a")), 413, "image"));
        cases.Add(V1("two images", s => Form(s.Key, Edits, ImageField(), File("image[]", TestImages.Bands()), Text("prompt", "a")), 400, "image"));
        cases.Add(V1("mask of the wrong size", s => Form(s.Key, Edits, ImageField(), File("mask", TestImages.RightHalfMask(32, 32)), Text("prompt", "a")), 400, "mask"));
        cases.Add(V1("mask not an image", s => Form(s.Key, Edits, ImageField(), File("mask", Encoding.UTF8.GetBytes("mask")), Text("prompt", "a")), 400, "mask"));
        cases.Add(V1("mask as text field", s => Form(s.Key, Edits, ImageField(), Text("mask", "x"), Text("prompt", "a")), 400, "mask"));
        cases.Add(V1("edit without prompt", s => Form(s.Key, Edits, ImageField()), 400, "prompt"));
        cases.Add(V1("edit prompt as file", s => Form(s.Key, Edits, ImageField(), File("prompt", Encoding.UTF8.GetBytes("a"))), 400, "prompt"));
        cases.Add(V1("edit n=abc", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("n", "abc")), 400, "n"));
        cases.Add(V1("edit n=11", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("n", "11")), 400, "n"));
        cases.Add(V1("edit stream=maybe", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("stream", "maybe")), 400, "stream"));
        cases.Add(V1("edit size 7x7", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("size", "7x7")), 400, "size"));
        cases.Add(V1("edit unknown field", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("strength", "0.5")), 400, "strength"));
        cases.Add(V1("edit n twice", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("n", "1"), Text("n", "2")), 400, "n"));
        cases.Add(V1("multipart boundary mismatch", s => Raw(s.Key, Edits, "--other\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na\r\n--other--\r\n", "multipart/form-data; boundary=expected"), 400, null, "multipart"));
        cases.Add(V1("multipart without boundary", s => Raw(s.Key, Edits, "--x\r\n\r\n", "multipart/form-data"), 400, null, "multipart"));
        cases.Add(V1("truncated multipart", s => Raw(s.Key, Edits, "--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\u0089PNG", "multipart/form-data; boundary=b"), 400, null, "multipart"));

        // Variations.
        cases.Add(V1("variation with a prompt", s => Form(s.Key, Variations, ImageField(), Text("prompt", "a")), 400, "prompt"));
        cases.Add(V1("variation without image", s => Form(s.Key, Variations, Text("n", "1")), 400, "image"));
        cases.Add(V1("variation n=11", s => Form(s.Key, Variations, ImageField(), Text("n", "11")), 400, "n"));
        cases.Add(V1("variation size 99999x99999", s => Form(s.Key, Variations, ImageField(), Text("size", "99999x99999")), 400, "size"));
        cases.Add(V1("variation non-image", s => Form(s.Key, Variations, File("image", [1, 2, 3, 4])), 400, "image"));

        // Routes.
        cases.Add(V1("unknown route", s => Json(s.Key, """{"prompt":"a"}""", "/v1/images/paint"), 404, null, "Invalid URL"));
        cases.Add(V1("GET on generations", s => Get(s.Key, Generations), 404, null, "Invalid URL"));
        // Text that is not text, sizes and numbers out of every range, and bodies built to exhaust the parser.
        var invalidUtf8 = Bytes("{\"prompt\":\"", [0xFF, 0xFE], "\",\"size\":\"64x64\"}");
        cases.Add(V1("invalid UTF-8 prompt", s => Bytes(s.Key, Generations, invalidUtf8, "application/json"), 400, "prompt"));
        cases.Add(V1("lone surrogate prompt", s => Json(s.Key, """{"prompt":"\ud800","size":"64x64"}"""), 400, "prompt"));
        cases.Add(V1("lone low surrogate prompt", s => Json(s.Key, """{"prompt":"a\udc00b"}"""), 400, "prompt"));
        cases.Add(V1("invalid UTF-8 user", s => Bytes(s.Key, Generations, Bytes("{\"prompt\":\"a\",\"user\":\"", [0xC3, 0x28], "\"}"), "application/json"), 400, "user"));
        cases.Add(V1("invalid UTF-8 field name", s => Bytes(s.Key, Generations, Bytes("{\"prompt\":\"a\",\"", [0xFF], "\":1}"), "application/json"), 400, null, "Unicode"));
        cases.Add(V1("prompt of 1 MB", s => Json(s.Key, $$"""{"prompt":"{{new string('a', 1_000_000)}}"}"""), 400, "prompt"));
        cases.Add(V1("JSON nested 10,000 deep", s => Json(s.Key, "{\"prompt\":\"a\",\"user\":" + new string('[', 10_000) + new string(']', 10_000) + "}"), 400, null, "depth"));
        cases.Add(V1("n=NaN", s => Json(s.Key, """{"prompt":"a","n":NaN}"""), 400, null, "JSON"));
        cases.Add(V1("n=Infinity", s => Json(s.Key, """{"prompt":"a","n":Infinity}"""), 400, null, "JSON"));
        cases.Add(V1("n=\"NaN\"", s => Json(s.Key, """{"prompt":"a","n":"NaN"}"""), 400, "n"));
        cases.Add(V1("n=1e400", s => Json(s.Key, """{"prompt":"a","n":1e400}"""), 400, "n"));
        cases.Add(V1("n=10^9", s => Json(s.Key, """{"prompt":"a","n":1000000000}"""), 400, "n"));
        cases.Add(V1("output_compression NaN", s => Json(s.Key, """{"prompt":"a","output_compression":"NaN"}"""), 400, "output_compression"));
        foreach (var size in new[] { "100000x100000", "-8x64", "64x-8", "0x64", "65x64", "64x100", "auto64", " 64x64" })
        {
            cases.Add(V1($"size {size} (2)", s => Json(s.Key, $$"""{"prompt":"a","size":"{{size}}"}"""), 400, "size"));
        }

        cases.Add(V1("edit size 100000x100000", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("size", "100000x100000")), 400, "size"));
        cases.Add(V1("edit 30000x30000 bomb", s => Form(s.Key, Edits, File("image", PngFiles.Bomb(30_000, 30_000)), Text("prompt", "a")), 400, "image"));
        cases.Add(V1("variation 30000x30000 bomb", s => Form(s.Key, Variations, File("image", PngFiles.Bomb(30_000, 30_000))), 400, "image"));
        cases.Add(V1("edit SVG renamed .png", s => Form(s.Key, Edits, File("image", Encoding.UTF8.GetBytes(Pngs.Svg)), Text("prompt", "a")), 400, "image"));
        cases.Add(V1("edit HTML renamed .png", s => Form(s.Key, Edits, File("image", Encoding.UTF8.GetBytes(Pngs.Html)), Text("prompt", "a")), 400, "image"));
        cases.Add(V1("variation HTML renamed .png", s => Form(s.Key, Variations, File("image", Encoding.UTF8.GetBytes(Pngs.Html))), 400, "image"));
        cases.Add(V1("variation truncated png", s => Form(s.Key, Variations, File("image", TestImages.Bands()[..40])), 400, "image"));
        cases.Add(V1("edit prompt of 1 MB", s => Form(s.Key, Edits, ImageField(), Text("prompt", new string('a', 1_000_000))), 400, "prompt"));
        cases.Add(V1("edit n=NaN", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("n", "NaN")), 400, "n"));
        cases.Add(V1("edit output_compression=Infinity", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("output_compression", "Infinity")), 400, "output_compression"));
        cases.Add(V1("edit as text/plain", s => Raw(s.Key, Edits, "prompt=a", "text/plain"), 400, null, "multipart"));
        cases.Add(V1("edit as urlencoded form", s => Raw(s.Key, Edits, "prompt=a&image=x", "application/x-www-form-urlencoded"), 400, "image"));
        cases.Add(V1("multipart part without name", s => Raw(s.Key, Edits, "--b\r\nContent-Disposition: form-data\r\n\r\na\r\n--b--\r\n", "multipart/form-data; boundary=b"), 400, null, "no name"));
        cases.Add(V1("multipart headers never end", s => Raw(s.Key, Edits, "--b\r\nContent-Disposition: form-data; name=\"prompt\"\r\n" + new string('x', 20_000), "multipart/form-data; boundary=b"), 400, null, "multipart"));

        // The signed file links and the routes, with ids that try to walk out of the image folder.
        cases.Add(V1("file link compression=abc", s => Get(s.Key, $"/v1/files/images/{Guid.NewGuid():N}?compression=abc&expires=1&sig=x"), 400, "compression"));
        cases.Add(V1("file link expires=abc", s => Get(s.Key, $"/v1/files/images/{Guid.NewGuid():N}?expires=abc"), 400, "expires"));
        cases.Add(V1("file link compression=101", s => Get(s.Key, $"/v1/files/images/{Guid.NewGuid():N}?compression=101&expires=1&sig=x"), 404, null, "invalid"));
        cases.Add(V1("file link format=../../etc/passwd", s => Get(s.Key, $"/v1/files/images/{Guid.NewGuid():N}?format=..%2F..%2Fetc%2Fpasswd&expires=1&sig=x"), 404, null, "invalid"));
        cases.Add(V1("file link without signature", s => Get(s.Key, $"/v1/files/images/{Guid.NewGuid():N}"), 404, null, "invalid"));
        foreach (var id in TraversalIds)
        {
            cases.Add(V1($"file link id {id}", s => Get(s.Key, "/v1/files/images/" + id), 404, null, "Invalid URL"));

            // "/v1/models/%2e%2e" is "/v1/" once the dot segment is removed: no route, rather than no model.
            cases.Add(id == "%2e%2e"
                ? V1($"model id {id}", s => Get(s.Key, "/v1/models/" + id), 404, null, "Invalid URL")
                : V1($"model id {id}", s => Get(s.Key, "/v1/models/" + id), 404, "model"));
        }

        // Kestrel refuses a NUL in a path before the app sees it.
        cases.Add(V1("model id with a NUL", s => Get(s.Key, "/v1/models/a%00.png"), 400, null, "Bad Request"));

        cases.Add(V1("10 kB URL", s => Get(s.Key, "/v1/models/" + new string('m', 10_000)), 414, null, "URI Too Long"));
        cases.Add(V1("10 kB query", s => Get(s.Key, "/v1/models?q=" + new string('q', 10_000)), 414, null, "URI Too Long"));
        cases.Add(V1("PUT on generations", s => WithAuth(new HttpRequestMessage(HttpMethod.Put, Generations) { Content = new StringContent("{}") }, "Bearer " + s.Key), 404, null, "Invalid URL"));
        return cases;
    }

    /// <summary>Ids that try to leave their folder: relative, encoded, absolute, Windows-style.</summary>
    public static readonly string[] TraversalIds =
        ["..%2F..%2Fetc%2Fpasswd", "%2e%2e", "%2e%2e%2f%2e%2e%2fappsettings.json", "%2Fetc%2Fpasswd", "C:%5CWindows%5Cwin.ini", "..%5C..%5Cstudio.db"];

    private static HttpBadInput V1(string name, Func<BadInputStudio, HttpRequestMessage> build, int status, string? param, string? names = null) =>
        new(name, Caller.Anonymous, build, status, param ?? names!, Param: param is not null);

    private static byte[] Bytes(string before, byte[] middle, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];

    private static HttpRequestMessage Bytes(string key, string path, byte[] body, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return WithAuth(request, "Bearer " + key);
    }

    private static HttpRequestMessage Json(string? key, string body, string path = Generations) => Raw(key, path, body, "application/json");

    private static HttpRequestMessage Raw(string? key, string path, string body, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return key is null ? request : WithAuth(request, "Bearer " + key);
    }

    private static HttpRequestMessage Get(string key, string path) => WithAuth(new HttpRequestMessage(HttpMethod.Get, path), "Bearer " + key);

    private static HttpRequestMessage WithAuth(HttpRequestMessage request, string value)
    {
        request.Headers.TryAddWithoutValidation("Authorization", value);
        return request;
    }

    private static HttpRequestMessage Form(string key, string path, params Action<MultipartFormDataContent>[] parts)
    {
        var form = new MultipartFormDataContent();
        foreach (var part in parts)
        {
            part(form);
        }

        return WithAuth(new HttpRequestMessage(HttpMethod.Post, path) { Content = form }, "Bearer " + key);
    }

    private static Action<MultipartFormDataContent> Text(string name, string value) => form => form.Add(new StringContent(value), name);

    private static Action<MultipartFormDataContent> File(string name, byte[] bytes) => form =>
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(content, name, name + ".png");
    };

    private static Action<MultipartFormDataContent> ImageField() => File("image", TestImages.Bands());

    private static byte[] Gif()
    {
        using var image = new Image<Rgb24>(8, 8);
        using var stream = new MemoryStream();
        image.SaveAsGif(stream);
        return stream.ToArray();
    }

    // A valid PNG whose header claims 100000×100000 pixels (a decompression bomb's trick).
    private static byte[] HugeCanvasPng()
    {
        var png = TestImages.Bands();
        var ihdr = png.AsSpan(12, 17); // "IHDR" + 13 data bytes
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], 100_000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr[8..], 100_000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29, 4), Crc32(ihdr));
        return png;
    }

    // PNG's chunk checksum (CRC-32, polynomial 0xEDB88320), so the doctored header is otherwise well-formed.
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
