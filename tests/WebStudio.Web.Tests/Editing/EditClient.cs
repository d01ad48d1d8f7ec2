using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Web.Editing;
using WebStudio.Studio.Editing;
using WebStudio.Web.Endpoints;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Editing;

/// <summary>The Edit page's HTTP calls, as the browser makes them, and the files the tests send.</summary>
internal static class EditClient
{
    public static Task<HttpResponseMessage> PostFileAsync(this StudioUserClient user, string url, byte[] file, string fileName = "image.png", string contentType = "image/png")
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(part, EditEndpoints.FileField, fileName);
        return user.Http.PostAsync(url, form);
    }

    public static async Task<UploadView> UploadAsync(this StudioUserClient user, Image image)
    {
        var response = await user.PostFileAsync("/api/uploads", Png(image));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<UploadView>())!;
    }

    public static async Task<Guid> UploadMaskAsync(this StudioUserClient user, string source, Image<L8> mask)
    {
        var response = await user.PostFileAsync($"/api/masks?source={Uri.EscapeDataString(source)}", Png(mask), "mask.png");
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"mask gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<MaskView>())!.Id;
    }

    public static async Task<JobView> EditAsync(this StudioUserClient user, EditRequest request)
    {
        var response = await user.Http.PostAsJsonAsync("/api/edits", request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"edit gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JobView>())!;
    }

    public static async Task<Image<Rgb24>> DownloadAsync(this StudioUserClient user, string url) =>
        Image.Load<Rgb24>(await user.Http.GetByteArrayAsync(url));

    /// <summary>The problem document's "code" and "detail" of a refused call.</summary>
    public static async Task<(string Code, string Detail)> ProblemAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        return (root.TryGetProperty("code", out var code) ? code.GetString()! : "", root.GetProperty("detail").GetString()!);
    }

    public static byte[] Png(Image image)
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    /// <summary>A picture with structure (gradients and a block), so edits visibly change it.</summary>
    public static Image<Rgb24> Picture(int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var block = x > width / 4 && x < width / 2 && y > height / 3;
                    row[x] = block ? new Rgb24(30, 60, 200) : new Rgb24((byte)(x * 255 / width), (byte)(y * 255 / height), 120);
                }
            }
        });
        return image;
    }

    /// <summary>Whether two pictures are the same size with the same pixels.</summary>
    public static bool SamePixels(Image<Rgb24> a, Image<Rgb24> b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
        {
            return false;
        }

        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                if (a[x, y] != b[x, y])
                {
                    return false;
                }
            }
        }

        return true;
    }
}
