using System.Net.Http.Headers;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Api.Tests.Infrastructure;

namespace WebStudio.Api.Tests;

/// <summary>One malformed request and the answer it must get: a 4xx status, and the field named in "param" (null: none).</summary>
public sealed record BadInputCase(string Name, Func<KeyedApiServer, HttpRequestMessage> Build, int Status, string? Param);

/// <summary>The table of malformed requests: authentication, JSON generations, multipart edits and variations, routes.</summary>
public static class BadInputCases
{
    private const string Generations = "/v1/images/generations";
    private const string Edits = "/v1/images/edits";
    private const string Variations = "/v1/images/variations";

    public static readonly IReadOnlyList<BadInputCase> All = Build();

    private static List<BadInputCase> Build()
    {
        var cases = new List<BadInputCase>();

        // Keys.
        cases.Add(new("no key", s => Json(null, """{"prompt":"a"}"""), 401, null));
        cases.Add(new("empty bearer", s => WithAuth(Json(null, """{"prompt":"a"}"""), "Bearer "), 401, null));
        cases.Add(new("basic auth", s => WithAuth(Json(null, """{"prompt":"a"}"""), "Basic YWxpY2U6c2VjcmV0"), 401, null));
        cases.Add(new("unknown key", s => Json("ws-" + new string('A', 43), """{"prompt":"a"}"""), 401, null));
        cases.Add(new("key without prefix", s => Json("sk-proj-abc", """{"prompt":"a"}"""), 401, null));
        cases.Add(new("revoked key", s => Json(s.RevokedKey, """{"prompt":"a"}"""), 401, null));
        cases.Add(new("huge key", s => Json("ws-" + new string('x', 10_000), """{"prompt":"a"}"""), 401, null));
        cases.Add(new("bad key on edits", s => Form("ws-nope", Edits, ImageField(), Text("prompt", "a")), 401, null));
        cases.Add(new("no key on models", s => new HttpRequestMessage(HttpMethod.Get, "/v1/models"), 401, null));

        // JSON bodies that are not a request object.
        cases.Add(new("not json", s => Json(s.Key, "hello"), 400, null));
        cases.Add(new("empty body", s => Json(s.Key, ""), 400, null));
        cases.Add(new("json array", s => Json(s.Key, """[{"prompt":"a"}]"""), 400, null));
        cases.Add(new("json string", s => Json(s.Key, "\"a cat\""), 400, null));
        cases.Add(new("text/plain", s => Raw(s.Key, Generations, """{"prompt":"a"}""", "text/plain"), 400, null));
        cases.Add(new("form instead of json", s => Form(s.Key, Generations, Text("prompt", "a")), 400, null));
        cases.Add(new("truncated json", s => Json(s.Key, """{"prompt": "a cat" """), 400, null));
        cases.Add(new("duplicate field", s => Json(s.Key, """{"prompt":"a","prompt":"b"}"""), 400, "prompt"));
        cases.Add(new("deep nesting", s => Json(s.Key, "{\"prompt\":\"a\",\"user\":" + new string('[', 100) + new string(']', 100) + "}"), 400, null));
        cases.Add(new("body over 1 MB", s => Json(s.Key, "{\"prompt\":\"" + new string('a', 1_100_000) + "\"}"), 413, null));

        // prompt.
        cases.Add(new("missing prompt", s => Json(s.Key, """{"model":"tiny"}"""), 400, "prompt"));
        cases.Add(new("null prompt", s => Json(s.Key, """{"prompt":null}"""), 400, "prompt"));
        cases.Add(new("number prompt", s => Json(s.Key, """{"prompt":42}"""), 400, "prompt"));
        cases.Add(new("array prompt", s => Json(s.Key, """{"prompt":["a","b"]}"""), 400, "prompt"));
        cases.Add(new("object prompt", s => Json(s.Key, """{"prompt":{"text":"a"}}"""), 400, "prompt"));
        cases.Add(new("empty prompt", s => Json(s.Key, """{"prompt":""}"""), 400, "prompt"));
        cases.Add(new("blank prompt", s => Json(s.Key, """{"prompt":"   "}"""), 400, "prompt"));
        cases.Add(new("prompt of 2001 chars", s => Json(s.Key, $$"""{"prompt":"{{new string('a', 2001)}}"}"""), 400, "prompt"));
        cases.Add(new("prompt of 200k chars", s => Json(s.Key, $$"""{"prompt":"{{new string('a', 200_000)}}"}"""), 400, "prompt"));

        // n.
        cases.Add(new("n=0", s => Json(s.Key, """{"prompt":"a","n":0}"""), 400, "n"));
        cases.Add(new("n=11", s => Json(s.Key, """{"prompt":"a","n":11}"""), 400, "n"));
        cases.Add(new("n=-1", s => Json(s.Key, """{"prompt":"a","n":-1}"""), 400, "n"));
        cases.Add(new("n as string", s => Json(s.Key, """{"prompt":"a","n":"2"}"""), 400, "n"));
        cases.Add(new("n=1.5", s => Json(s.Key, """{"prompt":"a","n":1.5}"""), 400, "n"));
        cases.Add(new("n=1e10", s => Json(s.Key, """{"prompt":"a","n":1e10}"""), 400, "n"));
        cases.Add(new("n=true", s => Json(s.Key, """{"prompt":"a","n":true}"""), 400, "n"));

        // size.
        foreach (var size in new[] { "7x7", "99999x99999", "512", "512x", "x512", "100x100", "4096x4096", "0x0", "-64x64", "64X64", "64x64x64", "sixty-fourxsixty-four", "2056x64", "1e3x64" })
        {
            cases.Add(new($"size {size}", s => Json(s.Key, $$"""{"prompt":"a","size":"{{size}}"}"""), 400, "size"));
        }

        cases.Add(new("size as number", s => Json(s.Key, """{"prompt":"a","size":512}"""), 400, "size"));

        // The other enumerations and numbers.
        cases.Add(new("quality ultra", s => Json(s.Key, """{"prompt":"a","quality":"ultra"}"""), 400, "quality"));
        cases.Add(new("quality as number", s => Json(s.Key, """{"prompt":"a","quality":1}"""), 400, "quality"));
        cases.Add(new("response_format xml", s => Json(s.Key, """{"prompt":"a","response_format":"xml"}"""), 400, "response_format"));
        cases.Add(new("output_format gif", s => Json(s.Key, """{"prompt":"a","output_format":"gif"}"""), 400, "output_format"));
        cases.Add(new("output_compression 101", s => Json(s.Key, """{"prompt":"a","output_compression":101}"""), 400, "output_compression"));
        cases.Add(new("output_compression -1", s => Json(s.Key, """{"prompt":"a","output_compression":-1}"""), 400, "output_compression"));
        cases.Add(new("output_compression as string", s => Json(s.Key, """{"prompt":"a","output_compression":"50"}"""), 400, "output_compression"));
        cases.Add(new("background transparent", s => Json(s.Key, """{"prompt":"a","background":"transparent"}"""), 400, "background"));
        cases.Add(new("background green", s => Json(s.Key, """{"prompt":"a","background":"green"}"""), 400, "background"));
        cases.Add(new("stream as string", s => Json(s.Key, """{"prompt":"a","stream":"yes"}"""), 400, "stream"));
        cases.Add(new("partial_images 4", s => Json(s.Key, """{"prompt":"a","stream":true,"partial_images":4}"""), 400, "partial_images"));
        cases.Add(new("partial_images -1", s => Json(s.Key, """{"prompt":"a","stream":true,"partial_images":-1}"""), 400, "partial_images"));
        cases.Add(new("user too long", s => Json(s.Key, $$"""{"prompt":"a","user":"{{new string('u', 300)}}"}"""), 400, "user"));
        cases.Add(new("user as number", s => Json(s.Key, """{"prompt":"a","user":7}"""), 400, "user"));
        cases.Add(new("moderation strict", s => Json(s.Key, """{"prompt":"a","moderation":"strict"}"""), 400, "moderation"));
        cases.Add(new("unknown field", s => Json(s.Key, """{"prompt":"a","negative_prompt":"b"}"""), 400, "negative_prompt"));

        // model.
        cases.Add(new("unknown model", s => Json(s.Key, """{"prompt":"a","model":"dall-e-3"}"""), 404, "model"));
        cases.Add(new("path as model", s => Json(s.Key, """{"prompt":"a","model":"../tiny"}"""), 404, "model"));
        cases.Add(new("empty model", s => Json(s.Key, """{"prompt":"a","model":""}"""), 400, "model"));
        cases.Add(new("model as number", s => Json(s.Key, """{"prompt":"a","model":3}"""), 400, "model"));
        cases.Add(new("unknown model on edits", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("model", "gpt-image-1")), 404, "model"));
        cases.Add(new("unknown model by id", s => Get(s.Key, "/v1/models/dall-e-2"), 404, "model"));

        // Multipart edits.
        cases.Add(new("edit as json", s => Raw(s.Key, Edits, """{"prompt":"a"}""", "application/json"), 400, null));
        cases.Add(new("edit without image", s => Form(s.Key, Edits, Text("prompt", "a")), 400, "image"));
        cases.Add(new("image as text field", s => Form(s.Key, Edits, Text("image", "aGVsbG8="), Text("prompt", "a")), 400, "image"));
        cases.Add(new("non-image bytes", s => Form(s.Key, Edits, File("image", Encoding.UTF8.GetBytes("this is not a picture")), Text("prompt", "a")), 400, "image"));
        cases.Add(new("empty image file", s => Form(s.Key, Edits, File("image", []), Text("prompt", "a")), 400, "image"));
        cases.Add(new("truncated png", s => Form(s.Key, Edits, File("image", TestImages.Bands()[..(TestImages.Bands().Length / 2)]), Text("prompt", "a")), 400, "image"));
        cases.Add(new("gif image", s => Form(s.Key, Edits, File("image", Gif()), Text("prompt", "a")), 400, "image"));
        cases.Add(new("png declaring a huge canvas", s => Form(s.Key, Edits, File("image", HugeCanvasPng()), Text("prompt", "a")), 400, "image"));
        cases.Add(new("image over 20 MB", s => Form(s.Key, Edits, File("image", new byte[21 * 1024 * 1024]), Text("prompt", "a")), 413, "image"));
        cases.Add(new("two images", s => Form(s.Key, Edits, ImageField(), File("image[]", TestImages.Bands()), Text("prompt", "a")), 400, "image"));
        cases.Add(new("mask of the wrong size", s => Form(s.Key, Edits, ImageField(), File("mask", TestImages.RightHalfMask(32, 32)), Text("prompt", "a")), 400, "mask"));
        cases.Add(new("mask not an image", s => Form(s.Key, Edits, ImageField(), File("mask", Encoding.UTF8.GetBytes("mask")), Text("prompt", "a")), 400, "mask"));
        cases.Add(new("mask as text field", s => Form(s.Key, Edits, ImageField(), Text("mask", "x"), Text("prompt", "a")), 400, "mask"));
        cases.Add(new("edit without prompt", s => Form(s.Key, Edits, ImageField()), 400, "prompt"));
        cases.Add(new("edit prompt as file", s => Form(s.Key, Edits, ImageField(), File("prompt", Encoding.UTF8.GetBytes("a"))), 400, "prompt"));
        cases.Add(new("edit n=abc", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("n", "abc")), 400, "n"));
        cases.Add(new("edit n=11", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("n", "11")), 400, "n"));
        cases.Add(new("edit stream=maybe", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("stream", "maybe")), 400, "stream"));
        cases.Add(new("edit size 7x7", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("size", "7x7")), 400, "size"));
        cases.Add(new("edit unknown field", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("strength", "0.5")), 400, "strength"));
        cases.Add(new("edit n twice", s => Form(s.Key, Edits, ImageField(), Text("prompt", "a"), Text("n", "1"), Text("n", "2")), 400, "n"));
        cases.Add(new("multipart boundary mismatch", s => Raw(s.Key, Edits, "--other\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na\r\n--other--\r\n", "multipart/form-data; boundary=expected"), 400, null));
        cases.Add(new("multipart without boundary", s => Raw(s.Key, Edits, "--x\r\n\r\n", "multipart/form-data"), 400, null));
        cases.Add(new("truncated multipart", s => Raw(s.Key, Edits, "--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\u0089PNG", "multipart/form-data; boundary=b"), 400, null));

        // Variations.
        cases.Add(new("variation with a prompt", s => Form(s.Key, Variations, ImageField(), Text("prompt", "a")), 400, "prompt"));
        cases.Add(new("variation without image", s => Form(s.Key, Variations, Text("n", "1")), 400, "image"));
        cases.Add(new("variation n=11", s => Form(s.Key, Variations, ImageField(), Text("n", "11")), 400, "n"));
        cases.Add(new("variation size 99999x99999", s => Form(s.Key, Variations, ImageField(), Text("size", "99999x99999")), 400, "size"));
        cases.Add(new("variation non-image", s => Form(s.Key, Variations, File("image", [1, 2, 3, 4])), 400, "image"));

        // Routes.
        cases.Add(new("unknown route", s => Json(s.Key, """{"prompt":"a"}""", "/v1/images/paint"), 404, null));
        cases.Add(new("GET on generations", s => Get(s.Key, Generations), 404, null));
        return cases;
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
