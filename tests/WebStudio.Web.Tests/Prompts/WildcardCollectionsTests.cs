using WebStudio.Studio.Prompts;

namespace WebStudio.Web.Tests.Prompts;

/// <summary>sd-dynamic-prompts' wildcard collections: the lists of a .json or .yaml file, named by its folder and keys.</summary>
[Trait("Capability", "StudioCore")]
public sealed class WildcardCollectionsTests : IDisposable
{
    private readonly WildcardFolder _folder = new();

    private Wildcards Library => _folder.Library;

    private void Write(string relative, string text) => _folder.Write(relative, text);

    private IReadOnlyList<string> Prompts(string prompt) => _folder.Prompts(prompt);

    [Fact]
    public void A_yaml_files_lists_are_wildcards_named_by_their_keys_and_values_that_are_not_text_are_left_out()
    {
        // sd-dynamic-prompts' SYNTAX.md example.
        Write("example.yaml", """
            clothing:
              - T-shirt
              - Pants
              - Shoes
            artists:
              finnish:
                - Akseli Gallen-Kallela
                - Eero Järnefelt
              dutch:
                - Piet Mondrian
                - Vincent van Gogh
              1234: 5678  # this is ignored
              flurp: 12345  # this too
            """);

        Assert.Equal(["artists/dutch", "artists/finnish", "clothing"], Library.Names());
        Assert.Equal(["a T-shirt", "a Pants", "a Shoes"], Prompts("a __clothing__"));
        Assert.Equal(["Piet Mondrian", "Vincent van Gogh", "Akseli Gallen-Kallela", "Eero Järnefelt"], Prompts("__artists/*__"));
    }

    [Fact]
    public void A_json_file_in_a_folder_prefixes_its_names_with_the_folder_and_a_lone_list_is_named_by_the_file()
    {
        Write("styles/pack.json", """
            {
              // comments and trailing commas are read past
              "looks": { "warm": ["red", "orange"], "cold": "blue" },
              "count": 3,
            }
            """);
        Write("shapes.json", """["circle", "star", 7, null]""");

        Assert.Equal(["shapes", "styles/looks/cold", "styles/looks/warm"], Library.Names());
        Assert.Equal(["a red circle", "a red star", "a orange circle", "a orange star"], Prompts("a __styles/looks/warm__ __shapes__"));
        Assert.Equal(["blue"], WildcardFolder.Texts(Library, "styles/looks/cold"));
    }

    [Fact]
    public void A_text_file_of_the_same_name_comes_first_and_a_collections_line_may_hold_choices_and_wildcards()
    {
        Write("colors.txt", "red\nblue");
        Write("more.yaml", "colors: [green]\nscenes: ['a __colors__ {circle|star}']");

        Assert.Equal(["red", "blue"], WildcardFolder.Texts(Library, "colors"));
        Assert.Equal(["a red circle", "a red star", "a blue circle", "a blue star"], Prompts("__scenes__"));
    }

    [Fact]
    public void Weights_written_in_a_collection_steer_the_random_draw()
    {
        Write("weighted.yaml", """
            hue:
              - 6::red
              - blue
              - { text: green, weight: 3 }
            """);
        Assert.Equal([6.0, 1.0, 3.0], Library.Options("hue")!.Select(o => o.Weight));

        var drawn = Enumerable.Range(0, 400).Select(seed => Assert.Single(DynamicPrompts.Draw("a __hue__ circle {on white|on black}", "", 1, seed, Library).Pairs).Prompt.Split(' ')[1])
            .CountBy(hue => hue).ToDictionary();

        // Expected 240, 40 and 120 of 400.
        Assert.InRange(drawn["red"], 200, 280);
        Assert.InRange(drawn["green"], 85, 155);
        Assert.InRange(drawn["blue"], 20, 65);
    }

    [Fact]
    public void A_collection_that_cannot_be_read_is_named_where_a_wildcard_it_may_hold_is_missing()
    {
        Write("packs/broken.json", """{ "hats": ["cap", """);
        Write("colors.txt", "red");

        Assert.Equal(["colors"], Library.Names());
        var problem = DynamicPrompts.Of("a __packs/hats__", "", wildcards: Library).Problem!.Message;
        Assert.StartsWith("the prompt: there is no wildcard __packs/hats__, and the collection packs/broken.json cannot be read: ", problem);
        Assert.Null(DynamicPrompts.Of("a __colors__", "", wildcards: Library).Problem);
    }

    public void Dispose() => _folder.Dispose();
}
