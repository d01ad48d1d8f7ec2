using System.Net;

namespace WebStudio.Hardening.Tests.BadInputs;

/// <summary>
/// Ids and numbers in a page's query string (a pasted or hand-edited link) that do not parse: the page opens as it
/// does for an id that names nothing, and says so where it would; never the error page.
/// </summary>
[Trait("Capability", "Hardening")]
public sealed class PageQueryValueTests(BadInputStudio studio) : IClassFixture<BadInputStudio>
{
    public static TheoryData<string, string, string?> Links => new()
    {
        { "/?job=not-a-guid", "Generate", null },
        { "/?job=JOB&seed=not-a-number", "Generate", null },
        { "/?job=JOB&seed=99999999999999999999999", "Generate", null },
        { "/edit?image=..%2F..%2Fstudio.db", "Edit", "That image was not found." },
        { "/edit?image=NEW", "Edit", "That image was not found." },
        { "/refine?thread=not-a-guid", "Refine", "That thread was not found." },
        { "/refine?thread=NEW", "Refine", "That thread was not found." },
        { "/refine?image=1", "Refine", "That image was not found." },
        { "/refine?image=NEW", "Refine", "That image was not found." },
    };

    [Theory]
    [MemberData(nameof(Links))]
    public async Task A_query_value_that_does_not_parse_opens_the_page_and_says_what_was_not_found(string link, string page, string? said)
    {
        var path = link.Replace("JOB", studio.JobId.ToString()).Replace("NEW", Guid.NewGuid().ToString());

        using var response = await studio.Login.Http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"<title>{page} · WebStudio</title>", html, StringComparison.Ordinal);
        if (said is not null)
        {
            Assert.Contains(said, html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/refine?image=IMAGE", "/api/images/IMAGE")] // the first turn's input
    [InlineData("/edit?image=IMAGE", "<img src=\"/api/images/IMAGE\" alt=\"Image to edit\"")]
    public async Task The_users_own_history_image_in_the_link_is_the_one_the_page_starts_from(string link, string shown)
    {
        using var response = await studio.Login.Http.GetAsync(link.Replace("IMAGE", studio.ImageId.ToString()));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(shown.Replace("IMAGE", studio.ImageId.ToString()), html, StringComparison.Ordinal);
        Assert.DoesNotContain("was not found", html, StringComparison.Ordinal);
    }
}
