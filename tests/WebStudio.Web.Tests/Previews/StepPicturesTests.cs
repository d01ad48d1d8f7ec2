using Microsoft.Extensions.Time.Testing;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Previews;

namespace WebStudio.Web.Tests.Previews;

/// <summary>Which steps of a running job get a picture: none while nobody watches, the first and the last always, and
/// between them one per half of the watchers' shortest pace, each set of pixels encoded once.</summary>
[Trait("Capability", "StudioUx")]
public sealed class StepPicturesTests
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Nobody_watching_draws_nothing_not_even_the_pixels()
    {
        var pictures = new StepPictures(new FakeTimeProvider());
        var drawn = 0;

        for (var step = 0; step < 5; step++)
        {
            Assert.Null(pictures.For(new EngineStep(step, 5, () => { drawn++; return Pixels(); }), pace: null));
        }

        Assert.Equal(0, drawn);
    }

    [Fact]
    public void The_first_and_last_steps_get_a_picture_and_between_them_one_per_half_pace()
    {
        var time = new FakeTimeProvider();
        var pictures = new StepPictures(time);
        var drawnAt = new List<int>();

        for (var step = 0; step < 20; step++)
        {
            if (pictures.For(new EngineStep(step, 20, Pixels), Pace) is not null)
            {
                drawnAt.Add(step);
            }

            time.Advance(TimeSpan.FromMilliseconds(20)); // a step every 20 ms: a picture every third step (60 ms ≥ 50)
        }

        Assert.Equal([0, 3, 6, 9, 12, 15, 18, 19], drawnAt);
    }

    [Fact]
    public void Pixels_handed_again_keep_their_picture_and_new_pixels_get_a_new_one()
    {
        var time = new FakeTimeProvider();
        var pictures = new StepPictures(time);
        var same = Pixels();

        var first = pictures.For(new EngineStep(0, 3, () => same), TimeSpan.Zero);
        var again = pictures.For(new EngineStep(1, 3, () => same), TimeSpan.Zero);
        var fresh = pictures.For(new EngineStep(2, 3, Pixels), TimeSpan.Zero);

        Assert.NotNull(first);
        Assert.Same(first, again);
        Assert.NotSame(first, fresh);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(100, null, 100)]
    [InlineData(null, 250, 250)]
    [InlineData(100, 250, 100)]
    [InlineData(300, 250, 250)]
    public void The_pace_is_the_shortest_of_the_views_here_and_elsewhere(int? here, int? elsewhere, int? expected) =>
        Assert.Equal(expected is { } e ? TimeSpan.FromMilliseconds(e) : null,
            StepPictures.Shortest(Ms(here), Ms(elsewhere)));

    private static TimeSpan? Ms(int? milliseconds) => milliseconds is { } m ? TimeSpan.FromMilliseconds(m) : null;

    private static PreviewPixels Pixels() => new(new byte[2 * 2 * 3], 2, 2);
}
