using System.Net;
using System.Text.Json;

namespace WebStudio.Hardening.Tests.BadInputs;

/// <summary>
/// The permanent bad-input probe: every hostile or malformed input gets a 4xx within 2 s whose text names what is
/// wrong, /v1 answers in OpenAI's error shape, and the studio is healthy afterwards.
/// </summary>
[Trait("Capability", "Hardening")]
public sealed class BadInputTests(BadInputStudio studio) : IClassFixture<BadInputStudio>
{
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(2);

    public static TheoryData<string> Names => new(BadInputTable.All.Select(c => c.Name));

    [Fact]
    public void The_table_holds_at_least_250_distinct_bad_inputs()
    {
        var names = BadInputTable.All.Select(c => c.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.True(names.Count >= 250, $"{names.Count} bad inputs");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_bad_input_gets_a_quick_4xx_that_names_what_is_wrong(string name)
    {
        var input = BadInputTable.Named(name);

        var answer = await input.SendAsync(studio);

        Assert.True(answer.Status == input.Status, $"{name}: expected {input.Status}, got {answer.Status}: {Shorten(answer.Text)}");
        Assert.InRange(answer.Status, 400, 499);
        Assert.True(answer.Elapsed < AnswerLimit, $"{name}: answered in {answer.Elapsed.TotalSeconds:0.00} s");
        if (input is HttpBadInput http)
        {
            Assert.DoesNotContain("Exception", answer.Text, StringComparison.Ordinal); // no runtime text
        }

        if (input is HttpBadInput { Build: var build } v1 && IsV1(build(studio)) && answer.MediaType is not null)
        {
            AssertOpenAIError(v1, answer);
        }
        else
        {
            Assert.True(answer.Text.Contains(input.Names, StringComparison.OrdinalIgnoreCase), $"{name}: the answer does not name '{input.Names}': {Shorten(answer.Text)}");
        }
    }

    [Fact]
    public async Task After_every_bad_input_the_studio_still_serves_pages_and_runs_jobs()
    {
        foreach (var input in BadInputTable.All.Where(c => c is HttpBadInput { Caller: Caller.Cookie }).Take(40))
        {
            await input.SendAsync(studio);
        }

        using var page = await studio.Login.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var (_, image) = await studio.RunJobAsync("a blue circle after the bad inputs");
        using var png = await studio.Login.Http.GetAsync($"/api/images/{image}");
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
    }

    private static bool IsV1(HttpRequestMessage request)
    {
        using (request)
        {
            return request.RequestUri!.OriginalString.StartsWith("/v1/", StringComparison.Ordinal);
        }
    }

    private static void AssertOpenAIError(HttpBadInput input, BadAnswer answer)
    {
        Assert.Equal("application/json", answer.MediaType);
        using var json = JsonDocument.Parse(answer.Text[(answer.Text.IndexOf('\n') + 1)..]);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(["code", "message", "param", "type"], error.EnumerateObject().Select(p => p.Name).Order());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        var message = error.GetProperty("message").GetString() ?? "";
        var param = error.GetProperty("param");
        var given = param.ValueKind == JsonValueKind.Null ? null : param.GetString();
        if (input.Param)
        {
            Assert.Equal(input.Names, given);
        }
        else
        {
            Assert.Null(given);
            Assert.True(message.Contains(input.Names, StringComparison.OrdinalIgnoreCase), $"{input.Name}: the message does not name '{input.Names}': {message}");
        }
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";
}
