using WebStudio.Studio.Engine;
using WebStudio.Web.Engine;

namespace WebStudio.Web.Tests.TeamAdmin;

/// <summary>The Generate and Edit forms start on a model the user's role may use: the studio's default where it may,
/// else the first text-to-image model it may, never an instruction model.</summary>
[Trait("Capability", "TeamAdmin")]
public sealed class ModelChoicesTests
{
    private static readonly IReadOnlyList<EngineModel> Installed =
    [
        new("edit", 64, 64) { EditsByInstruction = true },
        new("base", 64, 64),
        new("turbo", 64, 64),
    ];

    [Theory]
    [InlineData("", "base")] // every model allowed: the default
    [InlineData("base,turbo", "base")]
    [InlineData("turbo", "turbo")] // the default is not allowed: the first text-to-image model that is
    [InlineData("edit,turbo", "turbo")]
    [InlineData("edit", "base")] // none it may generate with: the default, which a submission refuses in words
    public void A_form_starts_on_the_default_where_the_role_may_use_it_else_on_the_first_model_it_may(string allowed, string expected)
    {
        var list = allowed.Split(',', StringSplitOptions.RemoveEmptyEntries);
        bool Allows(string model) => list.Length == 0 || list.Contains(model);

        Assert.Equal(expected, ModelChoices.Default(Installed, "base", Allows));
    }

    [Fact]
    public void A_model_is_labelled_with_why_it_cannot_be_chosen()
    {
        bool OnlyBase(string model) => model == "base";

        Assert.Equal(["edit (edits by instruction: use Refine)", "base", "turbo (not for your role)"], Installed.Select(m => ModelChoices.Label(m, OnlyBase)));
        Assert.Equal([false, true, false], Installed.Select(m => ModelChoices.Usable(m, OnlyBase)));
    }
}
