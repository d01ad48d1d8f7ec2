using System.Text;
using Microsoft.AspNetCore.Routing.Patterns;

namespace WebStudio.Hardening.Tests.Authorization;

/// <summary>What fills one route parameter: the owner's value, and a value of the same shape that names nothing.</summary>
/// <param name="Owned">The owner's resource (or, when <paramref name="Shared"/>, a name everyone may use).</param>
/// <param name="Missing">A fresh value that exists nowhere.</param>
/// <param name="Shared">A public name (a model), not somebody's resource: nothing to compare for another user.</param>
public sealed record RouteParameter(Func<AuthorizationWorld, string> Owned, Func<string> Missing, bool Shared = false)
{
    /// <summary>The other user's own resource of this kind: a route that takes two ids is also probed with the other
    /// user's own container and the owner's thing in it (B's gallery with A's image).</summary>
    public Func<AuthorizationWorld, string>? Others { get; init; }
}

/// <summary>
/// The values the matrix puts into routes, keyed by the parameter and the literal segment before it ("jobs/{id}"),
/// or by the parameter alone ("{imageId}") where its name says enough. A route whose parameter none of these
/// fills fails the matrix: add its key here.
/// </summary>
public static class RouteParameters
{
    public static readonly IReadOnlyDictionary<string, RouteParameter> Table = new Dictionary<string, RouteParameter>(StringComparer.OrdinalIgnoreCase)
    {
        ["jobs/{id}"] = Id(w => w.Owned.Running),
        ["history/{id}"] = Id(w => w.Owned.Job),
        ["images/{id}"] = Id(w => w.Owned.Image),
        ["{imageId}"] = Id(w => w.Owned.Image) with { Others = w => w.OtherImage.ToString() },
        ["galleries/{id}"] = Id(w => w.Owned.Gallery) with { Others = w => w.OtherGallery.ToString() },
        ["shares/{id}"] = Id(w => w.Owned.SpareShareLink),
        ["styles/{id}"] = Id(w => w.Owned.Style),
        ["uploads/{id}"] = Id(w => w.Owned.Upload),
        ["threads/{id}"] = Id(w => w.Owned.Thread),
        ["turns/{turnId}"] = Id(w => w.Owned.Turn),
        ["threads/{threadId}"] = Id(w => w.Owned.Thread),
        ["{token}"] = new(w => w.Owned.LiveToken, AuthorizationWorld.UnknownToken),
        ["models/{id}"] = new(_ => StudioHost.Model, () => "no-such-model", Shared: true),
        ["{rest}"] = new(_ => "no/such/route", () => "no/such/route", Shared: true),
        ["{path}"] = new(_ => "no-such-file.txt", () => "no-such-file.txt", Shared: true),
        ["{jobId}"] = Id(w => w.Owned.Job), // the hub's WatchJob
        ["users/{id}"] = new(w => w.SpareUser, () => Guid.NewGuid().ToString()), // the administrator's user routes
        ["roles/{role}"] = new(_ => "Member", () => "Member", Shared: true),

        // Pages' query parameters ([SupplyParameterFromQuery]): the Edit page's source, the Generate page's job.
        ["?image"] = Id(w => w.Owned.Image),
        ["?job"] = Id(w => w.Owned.Job),
        ["?thread"] = Id(w => w.Owned.Thread),
    };

    /// <summary>The table key of each parameter of <paramref name="pattern"/>, or the keys it lacks.</summary>
    public static (Dictionary<string, string> Keys, List<string> Missing) Resolve(RoutePattern pattern)
    {
        var keys = new Dictionary<string, string>();
        var missing = new List<string>();
        string? literal = null;
        foreach (var segment in pattern.PathSegments)
        {
            foreach (var part in segment.Parts)
            {
                if (part is RoutePatternLiteralPart text)
                {
                    literal = text.Content;
                }
                else if (part is RoutePatternParameterPart parameter)
                {
                    var key = Find($"{literal}/{{{parameter.Name}}}") ?? Find($"{{{parameter.Name}}}");
                    if (key is null)
                    {
                        missing.Add($"{{{parameter.Name}}} (add \"{literal}/{{{parameter.Name}}}\" or \"{{{parameter.Name}}}\")");
                    }
                    else
                    {
                        keys[parameter.Name] = key;
                    }
                }
            }
        }

        return (keys, missing);
    }

    /// <summary>The path of <paramref name="pattern"/> with each parameter replaced by its value.</summary>
    public static string Path(RoutePattern pattern, Func<string, string> value)
    {
        var path = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart text => text.Content,
                    RoutePatternParameterPart { IsCatchAll: true } parameter => value(parameter.Name),
                    RoutePatternParameterPart parameter => Uri.EscapeDataString(value(parameter.Name)),
                    RoutePatternSeparatorPart separator => separator.Content,
                    _ => throw new InvalidOperationException($"unknown route part {part}"),
                });
            }
        }

        return path.Length == 0 ? "/" : path.ToString();
    }

    /// <summary>The table key of a query parameter, or null.</summary>
    public static string? Query(string name) => Find($"?{name}");

    /// <summary>The table key of a hub method's parameter, or null.</summary>
    public static string? Argument(string name) => Find($"{{{name}}}");

    private static string? Find(string key) => Table.ContainsKey(key) ? key : null;

    private static RouteParameter Id(Func<AuthorizationWorld, Guid> owned) => new(w => owned(w).ToString(), () => Guid.NewGuid().ToString());
}
