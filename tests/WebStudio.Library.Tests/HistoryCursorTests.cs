using WebStudio.Web.History;
using WebStudio.Studio.History;

namespace WebStudio.Library.Tests;

public sealed class HistoryCursorTests
{
    [Fact]
    public void Round_trips_through_its_text()
    {
        var cursor = new HistoryCursor(new DateTime(2026, 11, 27, 3, 4, 5, 678, DateTimeKind.Utc).AddTicks(9), Guid.NewGuid());

        Assert.True(HistoryCursor.TryParse(cursor.ToString(), out var back));
        Assert.Equal(cursor, back);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("-5_00000000000000000000000000000000")]
    [InlineData("99999999999999999999_00000000000000000000000000000000")]
    [InlineData("638000000000000000_not-a-guid")]
    [InlineData("../../etc/passwd")]
    public void Refuses_anything_it_did_not_make(string? text)
    {
        Assert.False(HistoryCursor.TryParse(text, out _));
    }
}
