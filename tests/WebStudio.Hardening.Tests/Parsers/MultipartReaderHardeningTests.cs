using System.Diagnostics;
using System.Net.Http.Headers;
using CsCheck;
using Microsoft.AspNetCore.Http;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Imaging;
using WebStudio.Web.Api;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Hardening.Tests.Parsers;

/// <summary>
/// The multipart readers: the Images API's form (<see cref="ImageRequestParser.ReadFormAsync"/>, then
/// <see cref="ApiUploads.Read"/>) and the upload decoders behind every image and mask field
/// (<see cref="ImageUpload"/>, <see cref="MaskUpload"/>). Each throws only its documented exception.
/// </summary>
[Trait("Capability", "Hardening")]
public sealed class MultipartReaderHardeningTests
{
    private static readonly Lazy<byte[]> Png = new(() => Encode((image, stream) => image.SaveAsPng(stream)));
    private static readonly Lazy<byte[]> Jpeg = new(() => Encode((image, stream) => image.SaveAsJpeg(stream)));

    private static readonly string[] Names = ["image", "image[]", "mask", "prompt", "n", "size", "model", "quality", "response_format", "user", "stream", "other"];
    private static readonly string[] Values = ["a cat", "", "0", "1", "-1", "11", "1e9", "NaN", "64x64", "auto", "63x64", "100000x100000", "true", "b64_json", "\u0000", "é"];

    [Fact]
    public async Task Any_edit_form_gives_a_request_or_an_api_error_in_linear_time()
    {
        var forms = Gen.Select(Gen.Int[0, 4], Gen.Int[0, int.MaxValue], Gen.Byte, Fields(), Gen.Bool)
            .Select((mutation, at, value, fields, variation) => (Body: Mutate(Form(fields), mutation, at, value), Variation: variation));

        // Warm-up: the first form and image pay for JIT and the codecs' set-up.
        ApiUploads.Read(await ImageRequestParser.ReadFormAsync(Request(Form([])), ImageOperation.Edit, default)).Dispose();

        forms.Sample(form =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var request = ImageRequestParser.ReadFormAsync(Request(form.Body), form.Variation ? ImageOperation.Variation : ImageOperation.Edit, default)
                    .GetAwaiter().GetResult();
                ApiUploads.Read(request).Dispose();
            }
            catch (ApiException e)
            {
                Assert.InRange(e.Status, 400, 499);
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }

            Assert.True(clock.Elapsed < A1111ParameterParserHardeningTests.Budget(form.Body.Content.Length), $"{clock.Elapsed} for {form.Body.Content.Length} bytes");
        }, iter: 400, threads: 1);
    }

    /// <summary>ASP.NET's form reader throws ArgumentNullException on a "filename*" without a value (found by the
    /// property above): it was a 500.</summary>
    [Fact]
    public async Task A_part_header_the_form_reader_cannot_parse_is_a_400_naming_the_body()
    {
        var body = System.Text.Encoding.ASCII.GetBytes(MalformedPart);

        var error = await Assert.ThrowsAsync<ApiException>(
            () => ImageRequestParser.ReadFormAsync(Request((body, "multipart/form-data; boundary=b")), ImageOperation.Edit, default));

        Assert.Equal((400, "invalid_multipart"), (error.Status, error.Code));
        Assert.Equal("The multipart body could not be read: a part's Content-Disposition header is malformed.", error.Message);
    }

    public const string MalformedPart = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename*\r\nContent-Type: image/png\r\n\r\nxyz\r\n--b--\r\n";

    [Fact]
    public void Any_uploaded_bytes_give_an_image_or_an_upload_error()
    {
        var files = Gen.OneOf(
            Gen.Byte.Array[0, 300],
            Gen.Select(Gen.OneOf(Png, Jpeg), Gen.Int[0, 2], Gen.Int[0, int.MaxValue], Gen.Byte)
                .Select((file, mutation, at, value) => Mutate(file.Value, mutation, at, value)));

        files.Sample(file =>
        {
            try
            {
                ImageUpload.Read(file).Dispose();
            }
            catch (ImageUploadException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }

            try
            {
                MaskUpload.Read(file, 16, 16, MaskConvention.TransparentIsEdit).Dispose();
            }
            catch (ImageUploadException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        }, iter: 600, threads: 1);
    }

    private static Gen<(string Name, string Value, bool File)[]> Fields() =>
        Gen.Select(Gen.OneOf(Names), Gen.OneOf(Values), Gen.Bool).Array[0, 6];

    /// <summary>A well-formed edit form (image, mask, prompt) followed by the generated fields.</summary>
    private static (byte[] Content, string ContentType) Form((string Name, string Value, bool File)[] fields)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Png.Value), "image", "cat.png" },
            { new ByteArrayContent(Png.Value), "mask", "mask.png" },
            { new StringContent("a cat"), "prompt" },
        };
        foreach (var (name, value, file) in fields)
        {
            if (file)
            {
                form.Add(new ByteArrayContent(value == "" ? Png.Value : System.Text.Encoding.UTF8.GetBytes(value)), name, name + ".png");
            }
            else
            {
                form.Add(new StringContent(value), name);
            }
        }

        return (form.ReadAsByteArrayAsync().GetAwaiter().GetResult(), form.Headers.ContentType!.ToString());
    }

    private static (byte[] Content, string ContentType) Mutate((byte[] Content, string ContentType) form, int mutation, int at, byte value) =>
        mutation switch
        {
            3 => (form.Content, "multipart/form-data; boundary=\"not-the-boundary\""),
            4 => (form.Content, new MediaTypeHeaderValue("multipart/form-data").ToString()),
            _ => (Mutate(form.Content, mutation, at, value), form.ContentType),
        };

    /// <summary>0: untouched, 1: cut short, 2: one byte changed.</summary>
    private static byte[] Mutate(byte[] bytes, int mutation, int at, byte value)
    {
        var copy = bytes.ToArray();
        switch (mutation)
        {
            case 1:
                return copy[..(at % copy.Length)];
            case 2:
                copy[at % copy.Length] = value;
                return copy;
            default:
                return copy;
        }
    }

    private static HttpRequest Request((byte[] Content, string ContentType) body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = body.ContentType;
        context.Request.ContentLength = body.Content.Length;
        context.Request.Body = new MemoryStream(body.Content);
        return context.Request;
    }

    private static byte[] Encode(Action<Image<Rgba32>, MemoryStream> save)
    {
        using var image = new Image<Rgba32>(16, 16, new Rgba32(10, 200, 30, 128));
        using var stream = new MemoryStream();
        save(image, stream);
        return stream.ToArray();
    }
}
