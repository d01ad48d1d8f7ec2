using System.Threading.Channels;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Data;
using WebStudio.Studio.Previews;

namespace WebStudio.Web.Tests;

/// <summary>
/// The cost of previews to watchers: the worker hands over pixels; a frame is encoded (JPEG at the preview's size)
/// only when someone reads it, on the reader's thread, and once however many watch.
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed class PreviewEncodingTests
{
    [Fact]
    public void A_frame_nobody_watches_is_never_encoded()
    {
        var notifier = new JobProgressNotifier();
        var jobId = Guid.NewGuid();
        var images = Enumerable.Range(1, 20).Select(_ => Pixels()).ToList();

        for (var step = 1; step <= images.Count; step++)
        {
            notifier.Report(jobId, JobStatus.Running, step, images.Count, images[step - 1]);
        }

        Assert.All(images, image => Assert.False(image.IsEncoded));
    }

    [Fact]
    public async Task Ten_watchers_share_one_encoding_of_each_frame_read_off_the_workers_thread()
    {
        var notifier = new JobProgressNotifier();
        var jobId = Guid.NewGuid();
        using var stop = new CancellationTokenSource();
        var streams = Enumerable.Range(0, 10).Select(_ => notifier.Watch(jobId, JobStatus.Queued, 4, stop.Token)).ToList();
        foreach (var stream in streams)
        {
            Assert.True(stream.TryRead(out var first) && first.Png is null); // the queued state, no picture yet
        }

        var image = Pixels();
        notifier.Report(jobId, JobStatus.Running, 1, 4, image);
        Assert.False(image.IsEncoded); // the worker's report encodes nothing

        var received = await Task.WhenAll(streams.Select(async s => await Task.Run(async () => (await s.ReadAsync()).Png!)));

        Assert.True(image.IsEncoded);
        Assert.All(received, bytes => Assert.Same(received[0], bytes)); // one encoding, shared
        using var decoded = Image.Load<Rgb24>(received[0]);
        Assert.Equal((16, 8, "image/jpeg"), (decoded.Width, decoded.Height, image.MediaType));
        Assert.Equal((0xFF, 0xD8), (received[0][0], received[0][1]));
        stop.Cancel();
    }

    [Fact]
    public void A_relayed_frame_keeps_its_bytes_and_format()
    {
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3];

        var image = PreviewImage.FromEncoded(png);

        Assert.Same(png, image.Bytes);
        Assert.Equal("image/png", image.MediaType);
    }

    private static PreviewImage Pixels()
    {
        var rgb = new byte[16 * 8 * 3];
        for (var i = 0; i < rgb.Length; i++)
        {
            rgb[i] = (byte)(i * 7);
        }

        return PreviewImage.FromPixels(rgb, 16, 8);
    }
}
