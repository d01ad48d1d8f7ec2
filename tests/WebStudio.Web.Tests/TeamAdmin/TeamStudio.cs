using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Engine;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.TeamAdmin;

/// <summary>A studio with its administrator (the first account) and a member, both signed in through the forms.</summary>
public sealed class TeamStudio : IAsyncDisposable
{
    private readonly TempFolder _folder = new();

    private TeamStudio(IReadOnlyDictionary<string, string?>? settings, IGenerationEngine? engine) => Host = ScriptedStudio.Create(_folder, engine, settings);

    public StudioHost Host { get; }

    public StudioUserClient Admin { get; private set; } = null!;

    public StudioUserClient Member { get; private set; } = null!;

    public string MemberId { get; private set; } = "";

    public string AdminId { get; private set; } = "";

    /// <summary>An administrator and a member, on the scripted engine unless <paramref name="engine"/> is given.</summary>
    public static async Task<TeamStudio> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, IGenerationEngine? engine = null)
    {
        var studio = new TeamStudio(settings, engine);
        studio.Admin = await StudioUserClient.RegisterAsync(studio.Host, "admin");
        studio.Member = await StudioUserClient.RegisterAsync(studio.Host, "member");
        (studio.AdminId, studio.MemberId) = (await studio.IdOfAsync("admin"), await studio.IdOfAsync("member"));
        return studio;
    }

    public async Task<string> IdOfAsync(string name)
    {
        using var scope = Host.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>().FindByEmailAsync($"{name}@example.test"))!.Id;
    }

    public T Get<T>() where T : notnull => Host.Get<T>();

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _folder.Dispose();
    }
}
