namespace WebStudio.Trainer.Tests;

/// <summary>The *-edit commands never write over the base model unless told to: their folder is models/webstudio-edit,
/// and the base they start from models/webstudio-shapes, each unless --out / --from name another.</summary>
[Trait("Capability", "InstructEdit")]
public sealed class EditOptionsTests
{
    [Fact]
    public void The_edit_commands_write_the_edit_folder_and_start_from_the_shipped_model_by_default()
    {
        var defaults = TrainerOptions.Parse([]);
        Assert.Equal("models/webstudio-edit", defaults.EditOut);
        Assert.Equal("models/webstudio-shapes", defaults.EditFrom);
        Assert.Equal("models/webstudio-shapes", defaults.Out);
        Assert.Equal(50, defaults.EditMinutes);
        Assert.Equal(long.MaxValue, defaults.EditSteps);
    }

    [Fact]
    public void Out_from_and_the_edit_budget_are_taken_from_the_command_line()
    {
        var options = TrainerOptions.Parse(["--out", "e", "--from", "b", "--edit-minutes", "12.5", "--edit-steps", "300"]);
        Assert.Equal("e", options.EditOut);
        Assert.Equal("b", options.EditFrom);
        Assert.Equal(12.5, options.EditMinutes);
        Assert.Equal(300, options.EditSteps);
    }

    [Fact]
    public void A_negative_edit_budget_is_refused_naming_the_option()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainerOptions.Parse(["--edit-minutes", "-1"]));
        Assert.Contains("--edit-minutes", error.Message);
    }
}
