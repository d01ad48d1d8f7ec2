using System.Net.Http.Json;

namespace WebStudio.Hardening.Tests.Authorization;

/// <summary>Who a route lets in.</summary>
public enum Guard
{
    /// <summary>The studio's login cookie; ids name the caller's own things. Anonymous: /api 401 JSON, pages a login redirect.</summary>
    Login,

    /// <summary>The administrator only; everyone else is refused the same way whatever the id.</summary>
    Admin,

    /// <summary>/v1: a live bearer key; anything else is a 401 in OpenAI's error shape.</summary>
    ApiKey,

    /// <summary>Anyone: login, registration, error pages, static assets, unknown /v1 paths.</summary>
    Public,

    /// <summary>The share token is the authorisation: expired, revoked and unknown tokens answer alike.</summary>
    ShareToken,

    /// <summary>The signature in the query is the authorisation (response_format=url links).</summary>
    SignedLink,

    /// <summary>A framework or hub connection endpoint: its statuses are given per caller.</summary>
    Connection,
}

/// <summary>The values of one probe, by parameter table key ("galleries/{id}", "{imageId}"...).</summary>
public sealed class ProbeValues(IReadOnlyDictionary<string, string> values)
{
    public string this[string key] => values[key];

    public IEnumerable<string> All => values.Values;

    public IEnumerable<string> Keys => values.Keys;
}

/// <summary>What the owner sends to a route and how it must be answered.</summary>
/// <param name="Guard">Who may call it.</param>
/// <param name="Owner">The statuses the owner (the administrator for <see cref="Guard.Admin"/>) may get.</param>
public sealed record RouteRule(Guard Guard, params int[] Owner)
{
    /// <summary>The body (from the probe's values: ids in a body are probed like ids in the path).</summary>
    public Func<AuthorizationWorld, ProbeValues, HttpContent>? Body { get; init; }

    /// <summary>The query string (without '?').</summary>
    public Func<AuthorizationWorld, ProbeValues, string>? Query { get; init; }

    /// <summary>Parameter table keys the body or query uses besides the route's own parameters.</summary>
    public IReadOnlyList<string> BodyKeys { get; init; } = [];

    /// <summary>The owner's values that differ from the table's: the spare resources the owner's deletes use.</summary>
    public IReadOnlyDictionary<string, Func<AuthorizationWorld, string>> Own { get; init; } = new Dictionary<string, Func<AuthorizationWorld, string>>();

    /// <summary>The method a route that takes any method ("*") is probed with.</summary>
    public string Verb { get; init; } = "GET";

    /// <summary>For <see cref="Guard.Connection"/>: the anonymous caller's statuses.</summary>
    public int[] Anonymous { get; init; } = [];

    /// <summary>For <see cref="Guard.Login"/>: a page (anonymous callers are redirected to the login form).</summary>
    public bool Page { get; init; }

    /// <summary>The owner's probe when it cannot be a plain request on the owner's session (logging out ends it).</summary>
    public Func<AuthorizationWorld, string, Task<HttpResponseMessage>>? OwnerProbe { get; init; }
}

/// <summary>
/// The expected behaviour of every route of the studio, keyed "METHOD /pattern" exactly as the app's
/// EndpointDataSource spells it ("*" for a route that takes any method). A route that is not here fails the
/// matrix, which prints the line to add.
/// </summary>
public static class RouteRules
{
    private const int Ok = 200, Created = 201, NoContent = 204, Found = 302, BadRequest = 400, Unauthorized = 401, NotFound = 404, Conflict = 409;

    public static readonly IReadOnlyDictionary<string, RouteRule> Table = new Dictionary<string, RouteRule>
    {
        // Jobs and images (StudioEndpoints)
        ["GET /api/images/{id:guid}"] = new(Guard.Login, Ok),
        ["GET /api/jobs/{id:guid}"] = new(Guard.Login, Ok),
        ["GET /api/jobs/{id:guid}/preview"] = new(Guard.Login, Ok, NoContent),
        ["POST /api/jobs"] = new(Guard.Login, Created) { Body = (_, _) => Job("matrix submit") },
        // The owner stops the running job; 409 only if it ended first on a slow machine.
        ["POST /api/jobs/{id:guid}/cancel"] = new(Guard.Login, Ok, Conflict),
        ["POST /api/jobs/{id:guid}/front"] = new(Guard.Admin, Ok) { Own = new Dictionary<string, Func<AuthorizationWorld, string>> { ["jobs/{id}"] = w => w.Owned.Queued.ToString() } },

        // History (HistoryEndpoints)
        ["GET /api/history"] = new(Guard.Login, Ok),
        ["GET /api/history/{id:guid}"] = new(Guard.Login, Ok),
        ["DELETE /api/history/{id:guid}"] = new(Guard.Login, Ok) { Own = Spare("history/{id}", w => w.Owned.SpareJob) },
        ["POST /api/history/{id:guid}/rerun"] = new(Guard.Login, Created),
        // Undo of a delete: 404 for a generation that is not deleted (nothing to restore).
        ["POST /api/history/{id:guid}/restore"] = new(Guard.Login, Ok, NotFound),
        ["GET /api/images/{id:guid}/thumb"] = new(Guard.Login, Ok),
        ["POST /api/parameters/read"] = new(Guard.Login, Ok) { Body = (w, _) => File(w.Png, "file") },

        // Galleries (GalleryEndpoints)
        ["GET /api/galleries/"] = new(Guard.Login, Ok),
        ["POST /api/galleries/"] = new(Guard.Login, Created) { Body = (_, _) => JsonContent.Create(new { name = "matrix gallery" }) },
        ["GET /api/galleries/{id:guid}"] = new(Guard.Login, Ok),
        ["PATCH /api/galleries/{id:guid}"] = new(Guard.Login, Ok) { Body = (_, _) => JsonContent.Create(new { name = "renamed by the matrix" }) },
        ["DELETE /api/galleries/{id:guid}"] = new(Guard.Login, Ok) { Own = Spare("galleries/{id}", w => w.Owned.SpareGallery) },
        ["POST /api/galleries/{id:guid}/move"] = new(Guard.Login, Ok) { Body = (_, _) => JsonContent.Create(new { index = 0 }) },
        ["PUT /api/galleries/{id:guid}/images/{imageId:guid}"] = new(Guard.Login, Ok),
        ["DELETE /api/galleries/{id:guid}/images/{imageId:guid}"] = new(Guard.Login, Ok)
        {
            Own = new Dictionary<string, Func<AuthorizationWorld, string>>
            {
                ["galleries/{id}"] = w => w.Owned.SpareGallery.ToString(),
                ["{imageId}"] = w => w.Owned.SpareImage.ToString(),
            },
        },
        ["POST /api/galleries/{id:guid}/images/{imageId:guid}/move"] = new(Guard.Login, Ok) { Body = (_, _) => JsonContent.Create(new { index = 0 }) },
        ["PUT /api/galleries/{id:guid}/cover/{imageId:guid}"] = new(Guard.Login, Ok),
        ["PUT /api/galleries/{id:guid}/threads/{threadId:guid}"] = new(Guard.Login, Created, Ok),
        ["DELETE /api/galleries/{id:guid}/threads/{threadId:guid}"] = new(Guard.Login, Ok) { Own = Spare("galleries/{id}", w => w.Owned.SpareGallery) },

        // Share links: the owner's side (ShareEndpoints)
        ["POST /api/galleries/{id:guid}/shares"] = new(Guard.Login, Created) { Body = (_, _) => JsonContent.Create(new { label = "matrix" }) },
        ["POST /api/images/{id:guid}/shares"] = new(Guard.Login, Created) { Body = (_, _) => JsonContent.Create(new { label = "matrix" }) },
        ["GET /api/galleries/{id:guid}/shares"] = new(Guard.Login, Ok),
        ["GET /api/images/{id:guid}/shares"] = new(Guard.Login, Ok),
        ["DELETE /api/shares/{id:guid}"] = new(Guard.Login, Ok),
        ["GET /api/styles/"] = new(Guard.Login, Ok),
        ["POST /api/styles/"] = new(Guard.Login, Created, Ok) { Body = (_, _) => JsonContent.Create(new { name = "matrix style", prompt = "red" }) },
        ["DELETE /api/styles/{id:guid}"] = new(Guard.Login, Ok),

        // Share links: the public side
        ["GET /s/{token}"] = new(Guard.ShareToken, Ok),
        ["GET /s/{token}/images/{imageId:guid}"] = new(Guard.ShareToken, Ok),

        // Editing (EditEndpoints): the source an upload or edit names is probed like an id in the path.
        ["POST /api/uploads"] = new(Guard.Login, Created) { Body = (w, _) => File(w.Png, "file") },
        ["GET /api/uploads/{id:guid}"] = new(Guard.Login, Ok),
        ["POST /api/masks"] = new(Guard.Login, Created)
        {
            // An upload as the source here; the edit below names a history image.
            Query = (_, v) => $"source=upload:{v["uploads/{id}"]}",
            Body = (w, _) => File(w.Png, "file"),
            BodyKeys = ["uploads/{id}"],
        },
        ["POST /api/edits"] = new(Guard.Login, Created)
        {
            Body = (_, v) => JsonContent.Create(new { operation = "Restyle", source = $"image:{v["images/{id}"]}", prompt = "matrix edit", model = StudioHost.Model, steps = 2 }),
            BodyKeys = ["images/{id}"],
        },

        // Refine conversations (RefineEndpoints): a continue may find the turn it names continued already (a branch,
        // still 201); an undo of a turn that a probe continued meanwhile is refused (409).
        ["GET /api/refine/threads"] = new(Guard.Login, Ok),
        ["POST /api/refine/threads"] = new(Guard.Login, Created) { Body = (_, _) => JsonContent.Create(new { instruction = "matrix thread", model = StudioHost.Model, steps = 2 }) },
        ["GET /api/refine/threads/{id:guid}"] = new(Guard.Login, Ok),
        ["DELETE /api/refine/threads/{id:guid}"] = new(Guard.Login, Ok) { Own = Spare("threads/{id}", w => w.Owned.SpareThread) },
        ["POST /api/refine/threads/{id:guid}/turns"] = new(Guard.Login, Created)
        {
            Body = (_, v) => JsonContent.Create(new { instruction = "matrix turn", parentTurnId = v["turns/{turnId}"], steps = 2 }),
            BodyKeys = ["turns/{turnId}"],
        },
        ["POST /api/refine/threads/{id:guid}/turns/{turnId:guid}/undo"] = new(Guard.Login, Ok, Conflict)
        {
            Own = new Dictionary<string, Func<AuthorizationWorld, string>> { ["turns/{turnId}"] = w => w.Owned.SpareTurn.ToString() },
        },

        // The admin area (AdminEndpoints): users, roles, quotas, links, the audit log, anyone's share link.
        ["GET /api/admin/users"] = new(Guard.Admin, Ok),
        ["POST /api/admin/users/{id}/role"] = new(Guard.Admin, Ok) { Body = (_, _) => JsonContent.Create(new { role = "Member" }) },
        ["POST /api/admin/users/{id}/disable"] = new(Guard.Admin, Ok),
        ["POST /api/admin/users/{id}/enable"] = new(Guard.Admin, Ok),
        ["DELETE /api/admin/users/{id}"] = new(Guard.Admin, Ok) { Own = new Dictionary<string, Func<AuthorizationWorld, string>> { ["users/{id}"] = w => w.DeletedUser } },
        ["PUT /api/admin/users/{id}/quota"] = new(Guard.Admin, Ok) { Body = (_, _) => JsonContent.Create(new { imagesPerDay = 1000 }) },
        ["POST /api/admin/users/{id}/password-reset"] = new(Guard.Admin, Ok),
        ["POST /api/admin/invitations"] = new(Guard.Admin, Ok) { Body = (_, _) => JsonContent.Create(new { role = "Member" }) },
        ["GET /api/admin/roles"] = new(Guard.Admin, Ok),
        ["PUT /api/admin/roles/{role}"] = new(Guard.Admin, Ok)
        {
            Body = (_, _) => JsonContent.Create(new { canGenerate = true, canUseApi = true, canShare = true, canUpscale = true, allowedModels = "" }),
        },
        ["GET /api/admin/audit"] = new(Guard.Admin, Ok),
        ["DELETE /api/admin/shares/{id:guid}"] = new(Guard.Admin, Ok),
        ["GET /api/admin/queue"] = new(Guard.Admin, Ok),
        // The table's job is running: holding or releasing it is refused as not applicable (409).
        ["POST /api/admin/jobs/{id:guid}/hold"] = new(Guard.Admin, Ok, Conflict),
        ["POST /api/admin/jobs/{id:guid}/release"] = new(Guard.Admin, Ok, Conflict),
        ["POST /api/admin/jobs/{id:guid}/front"] = new(Guard.Admin, Ok, Conflict) { Own = new Dictionary<string, Func<AuthorizationWorld, string>> { ["jobs/{id}"] = w => w.Owned.Queued.ToString() } },
        ["POST /api/admin/jobs/{id:guid}/cancel"] = new(Guard.Admin, Ok, Conflict),
        ["POST /api/admin/queue/pause"] = new(Guard.Admin, Ok, Conflict) { Body = (_, _) => JsonContent.Create(new { reason = "matrix" }) },
        ["POST /api/admin/queue/resume"] = new(Guard.Admin, Ok, Conflict),
        ["POST /api/admin/models/zip"] = new(Guard.Admin, BadRequest), // no fileName: refused before the body is read

        // Any other /api path
        ["* /api/{**rest}"] = new(Guard.Login, NotFound),

        // The OpenAI-compatible API (ImagesApiEndpoints)
        ["POST /v1/images/generations"] = new(Guard.ApiKey, Ok)
        {
            Body = (_, _) => JsonContent.Create(new { prompt = "matrix", model = StudioHost.Model, size = "64x64", quality = "low" }),
        },
        ["POST /v1/images/edits"] = new(Guard.ApiKey, Ok)
        {
            Body = (w, _) => new MultipartFormDataContent
            {
                { new ByteArrayContent(w.Png), "image", "image.png" },
                { new StringContent("matrix edit"), "prompt" },
                { new StringContent("low"), "quality" },
            },
        },
        ["POST /v1/images/variations"] = new(Guard.ApiKey, Ok) { Body = (w, _) => File(w.Png, "image") },
        ["GET /v1/models"] = new(Guard.ApiKey, Ok),
        ["GET /v1/models/{id}"] = new(Guard.ApiKey, Ok),
        ["GET /v1/files/images/{id:guid}"] = new(Guard.SignedLink, Ok),
        ["* /v1/{**rest}"] = new(Guard.Public, NotFound),

        // Account
        ["POST /Account/Logout"] = new(Guard.Login, Found) { OwnerProbe = LogoutAsync },

        // The administrator's usage export.
        ["GET /admin/usage.csv"] = new(Guard.Admin, Ok),

        // The live-preview hub: a connection needs the login (its methods: the hub matrix).
        // For load balancers and monitoring: anyone may ask whether a node lives and is ready; metrics are the
        // administrator's (or bound apart, on a port of their own: Metrics:Url).
        ["* /healthz"] = new(Guard.Public, Ok),
        ["* /readyz"] = new(Guard.Public, Ok),
        ["* /metrics"] = new(Guard.Admin, Ok),

        ["* /hubs/jobs/negotiate"] = new(Guard.Connection, Ok) { Verb = "POST", Query = (_, _) => "negotiateVersion=1", Anonymous = [Unauthorized] },
        ["* /hubs/jobs"] = new(Guard.Connection, BadRequest) { Anonymous = [Unauthorized] },

        // Blazor's own endpoints need the login too (the account pages are static server rendering, no circuit);
        // what a circuit shows is decided by the pages' own authorisation (the page matrix). Without a circuit, or a
        // redirect to carry, they refuse the request.
        ["* /_blazor/negotiate"] = new(Guard.Connection, Ok) { Verb = "POST", Query = (_, _) => "negotiateVersion=1", Anonymous = [Found] },
        ["* /_blazor"] = new(Guard.Connection, BadRequest) { Anonymous = [Found] },
        ["* /_blazor/disconnect/"] = new(Guard.Connection, BadRequest) { Verb = "POST", Anonymous = [Found] },
        ["* /_blazor/initializers/"] = new(Guard.Connection, Ok) { Anonymous = [Found] },
        ["GET /_framework/opaque-redirect"] = new(Guard.Connection, BadRequest) { Anonymous = [Found] },

        // MapStaticAssets' fallback for a file outside its manifest (the manifest's files: the static file probe).
        ["GET {**path:file}"] = new(Guard.Login, NotFound),
        ["HEAD {**path:file}"] = new(Guard.Login, NotFound),
    };

    /// <summary>Pages: the component routes of the Web assembly, GET to read and POST for their forms.</summary>
    public static readonly IReadOnlyDictionary<string, RouteRule> Pages = new Dictionary<string, RouteRule>
    {
        ["/"] = new(Guard.Login, Ok) { Page = true },
        ["/generate"] = new(Guard.Login, Ok) { Page = true },
        ["/history"] = new(Guard.Login, Ok) { Page = true },
        ["/galleries"] = new(Guard.Login, Ok) { Page = true },
        ["/galleries/{Id:guid}"] = new(Guard.Login, Ok) { Page = true },
        ["/edit"] = new(Guard.Login, Ok) { Page = true },
        ["/refine"] = new(Guard.Login, Ok) { Page = true },
        ["/queue"] = new(Guard.Login, Ok) { Page = true },
        ["/api-keys"] = new(Guard.Login, Ok) { Page = true },
        ["/admin/workers"] = new(Guard.Admin, Ok) { Page = true },
        ["/admin/usage"] = new(Guard.Admin, Ok) { Page = true },
        ["/admin/users"] = new(Guard.Admin, Ok) { Page = true },
        ["/admin"] = new(Guard.Admin, Ok) { Page = true }, // the users page, where the administration starts
        ["/admin/roles"] = new(Guard.Admin, Ok) { Page = true },
        ["/admin/audit"] = new(Guard.Admin, Ok) { Page = true },
        ["/admin/models"] = new(Guard.Admin, Ok) { Page = true },
        ["/Account/ResetPassword"] = new(Guard.Public, Ok),
        ["/Account/Manage/ChangePassword"] = new(Guard.Login, Ok) { Page = true },
        ["/Account/Login"] = new(Guard.Public, Ok),
        ["/Account/Register"] = new(Guard.Public, Ok),
        ["/Account/AccessDenied"] = new(Guard.Public, Ok),
        ["/not-found"] = new(Guard.Public, Ok),
        ["/Error"] = new(Guard.Public, Ok),
    };

    private static Dictionary<string, Func<AuthorizationWorld, string>> Spare(string key, Func<AuthorizationWorld, Guid> spare) =>
        new() { [key] = w => spare(w).ToString() };

    private static JsonContent Job(string prompt) => JsonContent.Create(new
    {
        prompt,
        model = StudioHost.Model,
        steps = 1,
        width = 64,
        height = 64,
    });

    private static MultipartFormDataContent File(byte[] png, string field) => new() { { new ByteArrayContent(png), field, "image.png" } };

    // A second session of the owner posts the layout's logout form, antiforgery token included.
    private static async Task<HttpResponseMessage> LogoutAsync(AuthorizationWorld world, string path)
    {
        var session = await world.OwnerSessionAsync(); // ended by the logout; its answer is read after this returns
        var token = await StudioAccountForms.AntiforgeryTokenAsync(session, "/");
        return await session.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
    }
}
