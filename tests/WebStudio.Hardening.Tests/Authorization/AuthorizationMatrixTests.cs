using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Web.Api;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;
using Xunit.Abstractions;

namespace WebStudio.Hardening.Tests.Authorization;

/// <summary>
/// The authorization matrix, built from the app's own endpoint list: every route is tried by its owner, another user,
/// an anonymous caller, a revoked API key (and a live key where a cookie is needed), and, for share links, expired
/// and revoked tokens. Another user's ids must be answered exactly as ids that exist nowhere.
/// </summary>
[Trait("Capability", "Hardening")]
public sealed partial class AuthorizationMatrixTests(AuthorizationWorld world, ITestOutputHelper output) : IClassFixture<AuthorizationWorld>
{
    private const int Unauthorized = 401, Forbidden = 403;

    private readonly List<string> _failures = [];
    private int _attacks, _breaches, _owners;

    [Fact]
    public void Every_route_of_the_app_is_in_the_matrix_and_every_parameter_can_be_filled()
    {
        var routes = RouteMatrix.Routes(world.Server.Services);

        var problems = Coverage(routes);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        output.WriteLine($"{routes.Count} routes (method × pattern) in the matrix: {routes.Select(r => r.Pattern.RawText).Distinct().Count()} patterns, "
            + $"{routes.Where(r => r.IsPage).Select(r => r.Pattern.RawText).Distinct().Count()} of them pages");
    }

    [Fact]
    public async Task Every_route_answers_its_owner_and_everyone_else_as_if_the_resource_did_not_exist()
    {
        var routes = RouteMatrix.Routes(world.Server.Services);
        _failures.AddRange(Coverage(routes));
        var covered = routes.Where(r => r.Rule is not null && r.Unfilled.Count == 0).ToList();

        // /v1 first: its owner waits for generated images, which must not queue behind the long job.
        foreach (var route in covered.Where(r => r.Rule!.Guard == Guard.ApiKey))
        {
            await AttackAsync(route);
            await OwnAsync(route);
        }

        // Then the admin routes, while the job behind the long one is still queued.
        await world.StartActiveJobsAsync();
        foreach (var route in covered.Where(r => r.Rule!.Guard == Guard.Admin))
        {
            await AttackAsync(route);
            await OwnAsync(route);
        }

        var rest = covered.Where(r => r.Rule!.Guard is not (Guard.ApiKey or Guard.Admin)).ToList();
        foreach (var route in rest)
        {
            await AttackAsync(route);
        }

        // The owner last, reading before writing and deleting sub-resources before what holds them.
        var owned = rest
            .OrderBy(r => r.Method switch { "GET" or "*" => 0, "DELETE" => 2, _ => 1 })
            .ThenByDescending(r => r.Method == "DELETE" ? r.Pattern.RawText!.Length : 0);
        foreach (var route in owned)
        {
            await OwnAsync(route);
        }

        await StaticAssetsAsync();
        output.WriteLine($"routes: {covered.Count} (of {routes.Count}); attack probes: {_attacks} tried, {_breaches} succeeded; owner probes: {_owners}");
        Assert.True(_failures.Count == 0, string.Join("\n", _failures));
    }

    private static List<string> Coverage(List<MatrixRoute> routes)
    {
        var problems = new List<string>();
        foreach (var route in routes)
        {
            if (route.Rule is null)
            {
                problems.Add(route.IsPage
                    ? $"The page {route.Pattern.RawText} is not in the matrix: add [\"{route.Pattern.RawText}\"] = new(Guard..., statuses) to RouteRules.Pages."
                    : $"The route {route.Key} is not in the matrix: add [\"{route.Key}\"] = new(Guard..., owner statuses) {{ Body = ... }} to RouteRules.Table.");
            }

            foreach (var parameter in route.Unfilled)
            {
                problems.Add($"The route {route.Key} has the parameter {parameter} that RouteParameters.Table cannot fill.");
            }
        }

        return problems;
    }

    /// <summary>Everyone but the owner; each failure is a breach (an answer that let in or told apart).</summary>
    private async Task AttackAsync(MatrixRoute route)
    {
        var before = _failures.Count;
        await AttackCallersAsync(route);
        _breaches += _failures.Count - before;
    }

    private async Task AttackCallersAsync(MatrixRoute route)
    {
        var rule = route.Rule!;
        var own = Values(route, owner: true);
        switch (rule.Guard)
        {
            case Guard.Login:
                await ForeignAsync(route, world.Callers.Other, own);
                await RefusedAsync(route, "anonymous", world.Callers.Anonymous, own);
                await RefusedAsync(route, "revoked key", world.Callers.RevokedKey, own);
                await RefusedAsync(route, "the owner's live API key without a login", world.Callers.OwnerKey, own);
                break;
            case Guard.Admin:
                // /api and the admin area (/admin) answer a signed-in non-administrator 403; other pages and /metrics
                // send them to /Account/AccessDenied.
                var refusal = IsApi(route) || IsAdminArea(route) ? Forbidden : (int)HttpStatusCode.Redirect;
                await SameAsMissingAsync(route, "the owner (not an administrator)", world.Callers.Owner, own, refusal);
                await SameAsMissingAsync(route, "another user", world.Callers.Other, own, refusal);
                await RefusedAsync(route, "anonymous", world.Callers.Anonymous, own);
                await RefusedAsync(route, "revoked key", world.Callers.RevokedKey, own);
                break;
            case Guard.ApiKey:
                await ForeignAsync(route, world.Callers.OtherKey, own);
                await OpenAIRefusalAsync(route, "anonymous", world.Callers.Anonymous, own, "missing_api_key");
                await OpenAIRefusalAsync(route, "revoked key", world.Callers.RevokedKey, own, "invalid_api_key");
                await OpenAIRefusalAsync(route, "the owner's login cookie without a key", world.Callers.Owner, own, "missing_api_key");
                break;
            case Guard.Public:
                await ExpectAsync(route, "another user", world.Callers.Other, own, Statuses(route));
                await ExpectAsync(route, "revoked key", world.Callers.RevokedKey, own, Statuses(route));
                break;
            case Guard.ShareToken:
                await SharesAsync(route, own);
                break;
            case Guard.SignedLink:
                await SignedLinksAsync(route, own);
                break;
            case Guard.Connection:
                await ExpectAsync(route, "anonymous", world.Callers.Anonymous, own, rule.Anonymous);
                await ExpectAsync(route, "revoked key", world.Callers.RevokedKey, own, rule.Anonymous);
                break;
        }
    }

    /// <summary>The owner (the administrator for admin routes; nobody for public ones: anonymous).</summary>
    private async Task OwnAsync(MatrixRoute route)
    {
        var rule = route.Rule!;
        var own = Values(route, owner: true);
        var statuses = Statuses(route);
        _owners++;
        if (rule.OwnerProbe is { } probe)
        {
            using var response = await probe(world, Path(route, own));
            Check(route, "owner", await Answer.ReadAsync(response, own.All), statuses.Contains((int)response.StatusCode), statuses);
            return;
        }

        var client = rule.Guard switch
        {
            Guard.Admin => world.Callers.Admin,
            Guard.ApiKey => world.Callers.OwnerKey,
            Guard.Login or Guard.Connection => world.Callers.Owner,
            _ => world.Callers.Anonymous, // public, share and signed links: the link is the authorisation
        };
        if (rule.Guard == Guard.SignedLink)
        {
            var answer = await SendAsync(client, "GET", Signed(Guid.Parse(own["images/{id}"])), null, own.All);
            Check(route, "a valid signed link", answer, statuses.Contains(answer.Status), statuses);
            return;
        }

        var owner = await SendAsync(client, Verb(route), Path(route, own), rule.Body?.Invoke(world, own), own.All);
        Check(route, "owner", owner, statuses.Contains(owner.Status), statuses);
    }

    /// <summary>Another user: with ids, answered exactly as ids that do not exist; without, shown none of the owner's.</summary>
    private async Task ForeignAsync(MatrixRoute route, HttpClient client, ProbeValues own)
    {
        var owned = Owned(route).Distinct().ToList();
        if (owned.Count > 0)
        {
            await SameAsMissingAsync(route, "another user", client, own, expected: null);
            if (owned.Count > 1 && owned.All(k => RouteParameters.Table[k].Others is not null))
            {
                // Their own container with one of the owner's things in it, against a thing that exists nowhere.
                foreach (var key in owned)
                {
                    var mixed = new ProbeValues(own.Keys.ToDictionary(k => k, k => k == key || !owned.Contains(k) ? own[k] : RouteParameters.Table[k].Others!(world)));
                    await SameAsMissingAsync(route, $"another user with their own ids but the owner's {key}", client, mixed, expected: null,
                        With(mixed, key, RouteParameters.Table[key].Missing()));
                }
            }

            return;
        }

        if (route.Method is not ("GET" or "*"))
        {
            return; // a submission without ids is the other user's own
        }

        var answer = await SendAsync(client, Verb(route), Path(route, own), route.Rule!.Body?.Invoke(world, own), own.All, attack: true);
        var leaked = OwnerIds().Where(id => answer.Body.Contains(id, StringComparison.OrdinalIgnoreCase)).ToList();
        Check(route, "another user", answer, Statuses(route).Contains(answer.Status) && leaked.Count == 0, Statuses(route),
            leaked.Count > 0 ? $"shows the owner's {string.Join(", ", leaked)}" : null);
    }

    /// <summary>The caller with the owner's values and with values that name nothing: the same answer.</summary>
    private async Task SameAsMissingAsync(MatrixRoute route, string caller, HttpClient client, ProbeValues own, int? expected, ProbeValues? missing = null)
    {
        missing ??= Values(route, owner: false);
        var ids = own.All.Concat(missing.All).ToList();
        var foreign = await SendAsync(client, Verb(route), Path(route, own), route.Rule!.Body?.Invoke(world, own), ids, attack: true);
        var none = await SendAsync(client, Verb(route), Path(route, missing), route.Rule!.Body?.Invoke(world, missing), ids, attack: true);
        if (foreign != none || foreign.IsSuccess || expected is { } status && foreign.Status != status)
        {
            _failures.Add($"{route.Key} as {caller}: the owner's ids got [{foreign}], ids that exist nowhere got [{none}]{(expected is { } s ? $", expected {s}" : "")}");
        }
    }

    private static bool IsApi(MatrixRoute route) => new PathString("/" + route.Pattern.RawText!.TrimStart('/')).StartsWithSegments("/api");

    private static bool IsAdminArea(MatrixRoute route) => new PathString("/" + route.Pattern.RawText!.TrimStart('/')).StartsWithSegments("/admin");

    /// <summary>No login: /api 401 JSON, pages a redirect to the login form.</summary>
    private async Task RefusedAsync(MatrixRoute route, string caller, HttpClient client, ProbeValues own)
    {
        var answer = await SendAsync(client, Verb(route), Path(route, own), route.Rule!.Body?.Invoke(world, own), own.All, attack: true);
        var isApi = IsApi(route);
        var ok = isApi ? answer.Status == Unauthorized && answer.MediaType.Contains("json") : answer.IsLoginRedirect;
        Check(route, caller, answer, ok, [isApi ? Unauthorized : (int)HttpStatusCode.Redirect], isApi ? "expected 401 JSON" : "expected a redirect to /Account/Login");
    }

    private async Task OpenAIRefusalAsync(MatrixRoute route, string caller, HttpClient client, ProbeValues own, string code)
    {
        var answer = await SendAsync(client, Verb(route), Path(route, own), route.Rule!.Body?.Invoke(world, own), own.All, attack: true);
        var ok = answer.Status == Unauthorized && answer.MediaType == "application/json"
            && answer.Body.Contains("\"error\"", StringComparison.Ordinal) && answer.Body.Contains($"\"{code}\"", StringComparison.Ordinal);
        Check(route, caller, answer, ok, [Unauthorized], $"expected 401 in OpenAI's error shape with code {code}");
    }

    private async Task ExpectAsync(MatrixRoute route, string caller, HttpClient client, ProbeValues own, int[] statuses)
    {
        var answer = await SendAsync(client, Verb(route), Path(route, own), route.Rule!.Body?.Invoke(world, own), own.All, attack: true);
        Check(route, caller, answer, statuses.Contains(answer.Status), statuses);
    }

    /// <summary>Expired, revoked and unknown tokens alike; an image outside the share like one that never existed.</summary>
    private async Task SharesAsync(MatrixRoute route, ProbeValues own)
    {
        var anonymous = world.Callers.Anonymous;
        var tokenKey = route.Keys.Values.Single(k => k == "{token}");
        var unknown = With(own, tokenKey, AuthorizationWorld.UnknownToken());
        var ids = own.All.Concat(unknown.All).Append(world.Owned.ExpiredToken).Append(world.Owned.RevokedToken).ToList();
        var none = await SendAsync(anonymous, "GET", Path(route, unknown), null, ids, attack: true);
        foreach (var (what, token) in new[] { ("expired", world.Owned.ExpiredToken), ("revoked", world.Owned.RevokedToken) })
        {
            var answer = await SendAsync(anonymous, "GET", Path(route, With(own, tokenKey, token)), null, ids, attack: true);
            if (answer != none || answer.IsSuccess)
            {
                _failures.Add($"{route.Key}: an {what} token got [{answer}], an unknown token [{none}]");
            }
        }

        foreach (var key in route.Keys.Values.Where(k => k != tokenKey))
        {
            // The live link with an image that is not in it: another user's, and one that never existed.
            var outside = With(own, key, world.OtherImage.ToString());
            var nowhere = With(own, key, Guid.NewGuid().ToString());
            var imageIds = outside.All.Concat(nowhere.All).ToList();
            var foreign = await SendAsync(anonymous, "GET", Path(route, outside), null, imageIds, attack: true);
            var missing = await SendAsync(anonymous, "GET", Path(route, nowhere), null, imageIds, attack: true);
            if (foreign != missing || foreign.IsSuccess)
            {
                _failures.Add($"{route.Key}: another user's {key} through a live link got [{foreign}], one that never existed [{missing}]");
            }
        }

        await ExpectAsync(route, "another user with the live link", world.Callers.Other, own, Statuses(route));
    }

    /// <summary>A link signed for another image, or with its expiry changed, answers like an image that never existed.</summary>
    private async Task SignedLinksAsync(MatrixRoute route, ProbeValues own)
    {
        var anonymous = world.Callers.Anonymous;
        var image = Guid.Parse(own["images/{id}"]);
        var nowhere = Guid.NewGuid();
        var valid = Signed(image);
        var forged = Signed(world.OtherImage).Replace(world.OtherImage.ToString("N"), image.ToString("N"), StringComparison.Ordinal);
        var expires = System.Text.RegularExpressions.Regex.Match(valid, "expires=([0-9]+)", System.Text.RegularExpressions.RegexOptions.NonBacktracking).Groups[1].Value;
        var extended = valid.Replace($"expires={expires}", $"expires={long.Parse(expires) + 3600}", StringComparison.Ordinal);
        string[] ids = [image.ToString("N"), world.OtherImage.ToString("N"), nowhere.ToString("N")];
        var missing = await SendAsync(anonymous, "GET", Signed(nowhere), null, ids, attack: true);
        foreach (var (what, link) in new[] { ("signed for another image", forged), ("with its expiry moved", extended) })
        {
            var answer = await SendAsync(anonymous, "GET", link, null, ids, attack: true);
            if (answer != missing || answer.IsSuccess)
            {
                _failures.Add($"{route.Key}: a link {what} got [{answer}], an image that never existed [{missing}]");
            }
        }
    }

    /// <summary>The static files stay public: every one the app maps, once each, without a login.</summary>
    private async Task StaticAssetsAsync()
    {
        var anonymous = world.Callers.Anonymous;
        var paths = world.Server.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(RouteMatrix.IsStaticAsset)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => !p.Contains('{'))
            .Distinct()
            .Append("/assets/js/studio.js") // the repository's own scripts (static files middleware)
            .ToList();
        foreach (var path in paths)
        {
            var answer = await SendAsync(anonymous, "GET", path, null, [], attack: true);
            if (answer.Status != StatusCodes.Status200OK)
            {
                _failures.Add($"the static file {path} answered an anonymous caller [{answer}]");
            }
        }

        output.WriteLine($"static files probed anonymously: {paths.Count}");
    }

    private void Check(MatrixRoute route, string caller, Answer answer, bool ok, int[] expected, string? why = null)
    {
        if (!ok)
        {
            _failures.Add($"{route.Key} as {caller}: got [{answer}], expected {why ?? string.Join(" or ", expected)}");
        }
    }

    private async Task<Answer> SendAsync(HttpClient client, string method, string pathAndQuery, HttpContent? body, IEnumerable<string> ids, bool attack = false)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), pathAndQuery) { Content = body };
        using var response = await client.SendAsync(request);
        var answer = await Answer.ReadAsync(response, ids);
        if (attack)
        {
            _attacks++;
        }

        if (answer.Status >= 500)
        {
            _failures.Add($"{method} {pathAndQuery}: a server error [{answer}]");
        }

        return answer;
    }

    /// <summary>The page form posts are refused without their antiforgery token; everything else as its rule says.</summary>
    private static string Verb(MatrixRoute route) => route.Method == "*" ? route.Rule!.Verb : route.Method;

    private static int[] Statuses(MatrixRoute route) => route.IsPagePost ? [StatusCodes.Status400BadRequest] : route.Rule!.Owner;

    private IEnumerable<string> Owned(MatrixRoute route) =>
        route.Keys.Values.Concat(route.Rule!.BodyKeys).Where(k => !RouteParameters.Table[k].Shared);

    private ProbeValues Values(MatrixRoute route, bool owner)
    {
        var values = new Dictionary<string, string>();
        foreach (var key in route.Keys.Values.Concat(route.Rule!.BodyKeys))
        {
            var parameter = RouteParameters.Table[key];
            values[key] = !owner && !parameter.Shared ? parameter.Missing()
                : route.Rule.Own.TryGetValue(key, out var spare) ? spare(world) : parameter.Owned(world);
        }

        return new ProbeValues(values);
    }

    private static ProbeValues With(ProbeValues values, string key, string value)
    {
        var copy = values.Keys.ToDictionary(k => k, k => values[k]);
        copy[key] = value;
        return new ProbeValues(copy);
    }

    private string Path(MatrixRoute route, ProbeValues values)
    {
        var path = RouteParameters.Path(route.Pattern, name => values[route.Keys[name]]);
        return route.Rule!.Query is { } query ? $"{path}?{query(world, values)}" : path;
    }

    private string Signed(Guid image)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = world.Server.BaseAddress.Scheme;
        context.Request.Host = new HostString(world.Server.BaseAddress.Authority);
        var url = world.Server.Services.GetRequiredService<SignedImageUrls>().Create(context.Request, image, "png", null);
        return new Uri(url).PathAndQuery;
    }

    private IEnumerable<string> OwnerIds()
    {
        var owned = world.Owned;
        Guid[] ids = [owned.Job, owned.Image, owned.SpareJob, owned.SpareImage, owned.Gallery, owned.SpareGallery, owned.ShareLink, owned.SpareShareLink, owned.Upload, owned.Running, owned.Queued];
        return ids.Select(i => i.ToString()).Append(AuthorizationWorld.OwnerPrompt).Append(owned.LiveToken);
    }
}
