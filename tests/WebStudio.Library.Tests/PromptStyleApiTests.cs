using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WebStudio.Library.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Admin;
using WebStudio.Studio.Styles;
using WebStudio.Studio.Team;

namespace WebStudio.Library.Tests;

/// <summary>A1111's Styles: a user's saved prompts, saved by name, applied to the Generate form's prompts.</summary>
[Trait("Capability", "StudioUx")]
public sealed class PromptStyleApiTests : IDisposable
{
    private readonly StudioHost _studio = StudioHost.Create(LibraryStudio.Options);

    public void Dispose() => _studio.Dispose();

    private static async Task<string[]> NamesAsync(TestUser user) =>
        [.. (await user.Http.GetFromJsonAsync<JsonElement>("/api/styles")).EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];

    [Fact]
    public async Task Styles_are_saved_by_name_listed_in_order_replaced_and_deleted()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var created = await alice.Http.PostAsJsonAsync("/api/styles", new { name = "Poster", prompt = "{prompt}, flat colours, bold", negativePrompt = "blurry" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var poster = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, (await alice.Http.PostAsJsonAsync("/api/styles", new { name = "  cinematic ", prompt = "dramatic light" })).StatusCode);

        Assert.Equal(["cinematic", "Poster"], await NamesAsync(alice)); // trimmed, and by name whatever the case

        // The same name again replaces that style, keeping its id.
        var replaced = await alice.Http.PostAsJsonAsync("/api/styles", new { name = "Poster", prompt = "{prompt}, two colours", negativePrompt = "" });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var after = await replaced.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(poster.GetProperty("id").GetGuid(), after.GetProperty("id").GetGuid());
        Assert.Equal("{prompt}, two colours", after.GetProperty("prompt").GetString());
        Assert.Equal("", after.GetProperty("negativePrompt").GetString());
        Assert.Equal(["cinematic", "Poster"], await NamesAsync(alice));

        Assert.Equal(HttpStatusCode.OK, (await alice.Http.DeleteAsync($"/api/styles/{after.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Http.DeleteAsync($"/api/styles/{after.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(["cinematic"], await NamesAsync(alice));
    }

    [Fact]
    public async Task Another_users_styles_are_neither_listed_nor_deleted_and_names_are_per_user()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var bob = await TestUser.RegisterAsync(_studio, "bob");
        var response = await alice.Http.PostAsJsonAsync("/api/styles", new { name = "Mine", prompt = "red" });
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        Assert.Empty(await NamesAsync(bob));
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.DeleteAsync($"/api/styles/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await bob.Http.PostAsJsonAsync("/api/styles", new { name = "Mine", prompt = "blue" })).StatusCode);
        Assert.Equal(["Mine"], await NamesAsync(alice));
        Assert.Equal("red", (await alice.Http.GetFromJsonAsync<JsonElement>("/api/styles"))[0].GetProperty("prompt").GetString());
    }

    [Theory]
    [InlineData("""{"name":"","prompt":"red"}""", "name", "needs a name")]
    [InlineData("""{"name":"Empty","prompt":"  ","negativePrompt":""}""", "prompt", "a prompt or a negative prompt")]
    [InlineData("""{"prompt":"red"}""", "name", "needs a name")]
    public async Task A_bad_style_is_a_400_that_names_the_field(string json, string field, string message)
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var response = await alice.Http.PostAsync("/api/styles", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.Empty(await NamesAsync(alice));
    }

    [Fact]
    public async Task Over_long_fields_and_a_malformed_body_are_refused_and_nothing_is_stored()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var longName = await alice.Http.PostAsJsonAsync("/api/styles", new { name = new string('n', PromptStyleService.NameLimit + 1), prompt = "red" });
        var longPrompt = await alice.Http.PostAsJsonAsync("/api/styles", new { name = "Long", prompt = new string('p', PromptStyleService.PromptLimit + 1) });
        var malformed = await alice.Http.PostAsync("/api/styles", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, longName.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, longPrompt.StatusCode);
        Assert.Contains("at most 2000 characters", await longPrompt.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Empty(await NamesAsync(alice));
    }

    [Fact]
    public async Task An_account_keeps_at_most_its_limit_of_styles_and_can_still_replace_one_there()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var styles = _studio.Get<PromptStyleService>();
        for (var i = 0; i < PromptStyleService.StylesPerUser; i++)
        {
            await styles.SaveAsync(alice.Id, $"style {i}", "red", "");
        }

        var refused = await alice.Http.PostAsJsonAsync("/api/styles", new { name = "one more", prompt = "blue" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("delete one first", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.PostAsJsonAsync("/api/styles", new { name = "style 7", prompt = "blue" })).StatusCode);
    }

    [Fact]
    public async Task A_deleted_accounts_styles_go_with_it()
    {
        var admin = await TestUser.RegisterAsync(_studio, "admin");
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        await alice.Http.PostAsJsonAsync("/api/styles", new { name = "Mine", prompt = "red" });

        var deleted = await _studio.Get<UserAdministration>().DeleteAsync(new Actor(admin.Id, "admin"), alice.Id, keepImages: false);

        Assert.True(deleted.Done);
        await using var db = await _studio.Get<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        Assert.False(await db.PromptStyles.AnyAsync());
    }

    [Theory]
    [InlineData("{prompt}, flat colours", "a red circle", "a red circle, flat colours")]
    [InlineData("poster of {prompt} on white", "a star", "poster of a star on white")]
    [InlineData("flat colours", "a red circle", "a red circle, flat colours")]
    [InlineData("flat colours", "  ", "flat colours")]
    [InlineData("", "a red circle", "a red circle")]
    [InlineData("{prompt}", "", "")]
    [InlineData("{prompt}, flat colours", "a red circle, flat colours", "a red circle, flat colours")] // applied before
    [InlineData("poster of {prompt} on white", "poster of a star on white", "poster of a star on white")]
    [InlineData("blurry", "blurry", "blurry")]
    [InlineData("blurry", "dark, blurry", "dark, blurry")]
    [InlineData("blurry", "blurry sky", "blurry sky, blurry")]
    public void A_style_joins_the_prompt_as_A1111_merges_one_and_only_once(string style, string prompt, string expected) =>
        Assert.Equal(expected, StylePrompts.Merge(style, prompt));
}
