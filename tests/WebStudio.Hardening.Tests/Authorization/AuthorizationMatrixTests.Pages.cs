using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing.Patterns;

namespace WebStudio.Hardening.Tests.Authorization;

/// <summary>The page side of the matrix: every component of the Web assembly whose route or query takes an id.</summary>
public sealed partial class AuthorizationMatrixTests
{
    [Fact]
    public async Task Every_page_with_an_id_renders_another_users_id_as_a_missing_one()
    {
        var pages = 0;
        foreach (var component in typeof(Program).Assembly.GetTypes().Where(t => typeof(IComponent).IsAssignableFrom(t)))
        {
            var queries = component.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Select(p => (Property: p, Query: p.GetCustomAttribute<SupplyParameterFromQueryAttribute>()))
                .Where(q => q.Query is not null && IsId(q.Property))
                .Select(q => q.Query!.Name ?? q.Property.Name)
                .ToList();
            foreach (var route in component.GetCustomAttributes<RouteAttribute>())
            {
                var pattern = RoutePatternFactory.Parse(route.Template);
                if (pattern.Parameters.Count == 0 && queries.Count == 0)
                {
                    continue;
                }

                pages++;
                await PageAsync(component, pattern, queries);
            }
        }

        output.WriteLine($"pages with an id: {pages}; attack probes: {_attacks} tried, {_breaches} succeeded; owner probes: {_owners}");
        Assert.True(pages > 0, "no page takes an id: the Web assembly was not found");
        Assert.True(_failures.Count == 0, string.Join("\n", _failures));
    }

    // An id: a Guid, or a name that says so (a ReturnUrl is not one).
    private static bool IsId(PropertyInfo property) =>
        (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) == typeof(Guid)
        || property.Name.EndsWith("Id", StringComparison.Ordinal) || property.Name.EndsWith("Token", StringComparison.Ordinal);

    private async Task PageAsync(Type component, RoutePattern pattern, List<string> queries)
    {
        var (keys, unfilled) = RouteParameters.Resolve(pattern);
        var queryKeys = queries.ToDictionary(q => q, RouteParameters.Query);
        var problems = unfilled.Concat(queryKeys.Where(q => q.Value is null).Select(q => $"?{q.Key} (add \"?{q.Key}\")")).ToList();
        if (problems.Count > 0)
        {
            _failures.AddRange(problems.Select(p => $"The page {pattern.RawText} ({component.Name}) has the parameter {p} that RouteParameters.Table cannot fill."));
            return;
        }

        var all = keys.Values.Concat(queryKeys.Values.Select(k => k!)).Distinct().ToList();
        var owned = new ProbeValues(all.ToDictionary(k => k, k => RouteParameters.Table[k].Owned(world)));
        var missing = new ProbeValues(all.ToDictionary(k => k, k => RouteParameters.Table[k].Shared ? owned[k] : RouteParameters.Table[k].Missing()));
        string Url(ProbeValues values) => RouteParameters.Path(pattern, name => values[keys[name]])
            + (queryKeys.Count == 0 ? "" : "?" + string.Join("&", queryKeys.Select(q => $"{q.Key}={Uri.EscapeDataString(values[q.Value!])}")));
        var ids = owned.All.Concat(missing.All).ToList();
        var name = $"the page {Url(owned)} ({component.Name})";

        // The owner's page shows the owner's thing: it differs from the page for an id that names nothing.
        var owner = world.Callers.Owner;
        var mine = await SendAsync(owner, "GET", Url(owned), null, []);
        var mineMissing = await SendAsync(owner, "GET", Url(missing), null, []);
        _owners++;
        if (mine.Status != 200 || mine.Body == mineMissing.Body)
        {
            _failures.Add($"{name} as the owner: got [{mine}], the same as for an id that exists nowhere [{mineMissing}]");
        }

        // Another user's id renders exactly as an id that exists nowhere (the ids themselves aside). The pages show
        // live queue counts, which a job ending between the two requests changes: only a difference that every
        // round shows is one.
        var other = world.Callers.Other;
        Answer foreign = null!, none = null!;
        for (var round = 0; round < 3 && (round == 0 || foreign != none); round++)
        {
            foreign = await SendAsync(other, "GET", Url(owned), null, ids, attack: true);
            none = await SendAsync(other, "GET", Url(missing), null, ids, attack: true);
        }

        if (foreign != none)
        {
            _breaches++;
            _failures.Add($"{name} as another user: the owner's ids rendered [{foreign}], ids that exist nowhere [{none}]");
        }

        if (component.GetCustomAttribute<AllowAnonymousAttribute>() is null)
        {
            foreach (var (caller, client) in new[] { ("anonymous", world.Callers.Anonymous), ("revoked key", world.Callers.RevokedKey) })
            {
                var answer = await SendAsync(client, "GET", Url(owned), null, ids, attack: true);
                if (!answer.IsLoginRedirect)
                {
                    _breaches++;
                    _failures.Add($"{name} as {caller}: got [{answer}], expected a redirect to /Account/Login");
                }
            }
        }
    }
}
