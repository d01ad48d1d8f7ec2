using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Team;
using WebStudio.Testing;

namespace WebStudio.ScaleOut.Tests.TeamAdmin;

/// <summary>The audit log, on both providers: the database itself refuses to change or remove an entry, and the log
/// is searched and paged newest first.</summary>
[Trait("Capability", "TeamAdmin")]
[Collection(PostgresCollection.Name)]
public sealed class AuditLogOnBothProvidersTests(PostgresServer server)
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task An_entry_can_be_neither_changed_nor_removed_even_by_sql(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var audit = core.Services.GetRequiredService<AuditLog>();
        await audit.AppendAsync(new Actor("admin-id", "admin@example.test"), AuditActions.Disabled, "user bob@example.test");

        await using var db = await core.CreateDbContextAsync();
        var update = await Record.ExceptionAsync(() => db.AuditLog.ExecuteUpdateAsync(s => s.SetProperty(e => e.Details, "rewritten")));
        var delete = await Record.ExceptionAsync(() => db.AuditLog.ExecuteDeleteAsync());

        Assert.Contains("the audit log is append-only", update?.Message + update?.InnerException?.Message, StringComparison.Ordinal);
        Assert.Contains("the audit log is append-only", delete?.Message + delete?.InnerException?.Message, StringComparison.Ordinal);
        var entry = await db.AuditLog.AsNoTracking().SingleAsync();
        Assert.Equal(("", AuditActions.Disabled), (entry.Details, entry.Action));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_log_is_searched_in_any_case_and_paged_newest_first(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var audit = core.Services.GetRequiredService<AuditLog>();
        var admin = new Actor("admin-id", "Admin@Example.test");
        for (var i = 1; i <= 5; i++)
        {
            await audit.AppendAsync(admin, AuditActions.JobHeld, $"job {i}", "owner carol@example.test");
        }

        await audit.AppendAsync(admin, AuditActions.QueuePaused, "queue", "new model");

        var first = await audit.SearchAsync("CAROL", page: 1, pageSize: 2);
        var third = await audit.SearchAsync("carol", page: 3, pageSize: 2);
        Assert.Equal(5, first.Total);
        Assert.Equal(["job 5", "job 4"], first.Entries.Select(e => e.Target));
        Assert.Equal(["job 1"], third.Entries.Select(e => e.Target));
        Assert.Equal(["queue"], (await audit.SearchAsync("NEW MODEL", 1, 10)).Entries.Select(e => e.Target));
        Assert.Equal(6, (await audit.SearchAsync(null, 1, 10)).Total);
        await Assert.ThrowsAsync<ArgumentException>(() => audit.SearchAsync(null, 0, 10));
        await Assert.ThrowsAsync<ArgumentException>(() => audit.SearchAsync(null, 1, AuditLog.MaxPageSize + 1));
    }
}
