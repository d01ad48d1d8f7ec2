using System.Net.Sockets;
using Bunit;
using MudBlazor.Services;
using Npgsql;
using WebStudio.Data;
using WebStudio.Web.Components.Shared;

namespace WebStudio.Web.Tests.Components;

/// <summary>What a live page shows in place of a failed component (the layout's error boundary): for a database
/// outage the words of the 503 page, for anything else a plain "something went wrong", never the exception.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class CircuitErrorTests
{
    [Fact]
    public void A_database_outage_shows_the_service_unavailable_words()
    {
        using var context = NewContext();
        var outage = new InvalidOperationException("wrapped by EF", new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)));

        var cut = context.Render<CircuitError>(p => p.Add(c => c.Error, outage));

        Assert.Contains("Service unavailable", cut.Markup, StringComparison.Ordinal);
        Assert.Contains(DatabaseOutage.Message, cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("5432", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_failure_shows_plain_words_without_the_exception()
    {
        using var context = NewContext();

        var cut = context.Render<CircuitError>(p => p.Add(c => c.Error, new InvalidOperationException("secret detail")));

        Assert.Contains("Something went wrong", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(DatabaseOutage.Message, cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("secret detail", cut.Markup, StringComparison.Ordinal);
    }

    private static BunitContext NewContext()
    {
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        return context;
    }
}
