using System.Net;
using System.Net.Http.Json;
using WebStudio.Studio.Admin;
using WebStudio.Studio.Refine;
using WebStudio.Studio.Team;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Tests.Infrastructure;
using WebStudio.Web.Tests.Refine;

namespace WebStudio.Web.Tests.TeamAdmin;

/// <summary>Refine's turns start on models the user's role may use (TeamPolicy.AllowsModel), as the Generate and Edit
/// forms do, and a role with no instruction model is told so in words.</summary>
[Trait("Capability", "TeamAdmin")]
public sealed class RefineModelsTests(TinyModelFolders models) : IClassFixture<TinyModelFolders>
{
    private const string NoInstructionModel = "id=\"refine-no-instruction-model\"";

    [Fact]
    public async Task Refine_runs_on_the_instruction_model_the_role_may_use_and_says_when_it_may_use_none()
    {
        // Two instruction models: the role may use only the second.
        models.Write(TinyModelVariant.DiffusersScript, Path.Combine("two-edit-models", TinyModelFolders.ModelName));
        models.Write(TinyModelVariant.InstructEdit, Path.Combine("two-edit-models", "a-edit"));
        using var engine = TinyModelEngine.Over(Path.GetDirectoryName(models.Write(TinyModelVariant.InstructEdit, Path.Combine("two-edit-models", "b-edit")))!);
        await using var studio = await TeamStudio.StartAsync(engine: engine);
        await AllowModelsAsync(studio, "tiny,b-edit");

        Assert.DoesNotContain(NoInstructionModel, await studio.Member.Http.GetStringAsync("/refine"), StringComparison.Ordinal);
        var thread = await RefineThreadTests.StartAsync(studio.Member, new RefineTurnRequest { Instruction = "a red circle", Steps = 2, Seed = 1 });
        await RefineThreadTests.FinishedAsync(studio.Member, thread.Turns[0]);
        thread = await RefineThreadTests.ContinueAsync(studio.Member, thread.Id, new RefineTurnRequest { Instruction = "make the circle blue", Steps = 2 });
        Assert.Equal(["tiny", "b-edit"], thread.Turns.Select(t => t.Model));
        Assert.Equal("Succeeded", (await studio.Member.WaitForEndAsync(thread.Turns[1].JobId, TimeSpan.FromSeconds(90))).Status);

        // The page's model picker offers the instruction models, the one the role may not use disabled, and goes on
        // with the thread's.
        var picker = await studio.Member.Http.GetStringAsync($"/refine?thread={thread.Id}");
        Assert.Matches("<option value=\"a-edit\" disabled[^>]*>a-edit \\(not for your role\\)</option>", picker);
        Assert.Matches("<option value=\"b-edit\" selected[^>]*>b-edit</option>", picker);
        Assert.DoesNotContain("<option value=\"tiny\"", picker, StringComparison.Ordinal);
        Assert.Contains("b-edit &#xB7; seed", picker, StringComparison.Ordinal);

        await AllowModelsAsync(studio, "tiny");
        using var refused = await studio.Member.Http.PostAsJsonAsync($"/api/refine/threads/{thread.Id}/turns", new RefineTurnRequest { Instruction = "make it green", Steps = 2 });
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("your role may not use an instruction model", body, StringComparison.Ordinal);
        Assert.Contains("a-edit", body, StringComparison.Ordinal);

        // The page says it before an instruction is written.
        var page = await studio.Member.Http.GetStringAsync($"/refine?thread={thread.Id}");
        Assert.Contains(NoInstructionModel, page, StringComparison.Ordinal);
        Assert.Contains("Refine cannot change pictures for you: your role may not use an instruction model", page, StringComparison.Ordinal);
    }

    private static async Task AllowModelsAsync(TeamStudio studio, string models)
    {
        var permissions = (await studio.Get<TeamPolicies>().ForUserAsync(studio.MemberId)).Permissions;
        permissions.AllowedModels = models;
        Assert.True((await studio.Get<UserAdministration>().SaveRolePolicyAsync(new Actor(studio.AdminId, "admin"), permissions)).Done);
    }
}
