using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Web.Security;

namespace WebStudio.ScaleOut.Tests;

/// <summary>
/// The Data Protection key ring in the database: what one web node signs (login cookies, antiforgery tokens, image
/// links) another node on the same database accepts; keys of the old key folder are imported once.
/// </summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class DataProtectionAcrossNodesTests(PostgresServer server)
{
    private static readonly Dictionary<string, string?> NoJobs = new() { ["Queue:RunJobs"] = "false" };

    [Fact]
    public async Task A_sign_in_and_an_antiforgery_token_made_by_one_node_are_accepted_by_another()
    {
        await using var database = await server.CreateDatabaseAsync();
        await using var nodes = new NodePair(await WebNode.StartAsync(database.ConnectionString, NoJobs), await WebNode.StartAsync(database.ConnectionString, NoJobs));

        // Registered (and so signed in) on A; the same cookies sent to B.
        var alice = await StudioLogin.RegisterAsync(nodes.A, "alice");
        using var onB = Browser(nodes.B, alice.Cookies);
        using var history = await onB.GetAsync("/api/history");
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);

        // A login form (and its antiforgery cookie) served by A, posted to B.
        var cookies = new CookieContainer();
        using var anonymousOnA = Browser(nodes.A, cookies);
        var token = await StudioAccountForms.AntiforgeryTokenAsync(anonymousOnA, "/Account/Login");
        using var anonymousOnB = Browser(nodes.B, cookies);
        using var login = await anonymousOnB.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "login",
            ["Input.Email"] = "alice@example.test",
            ["Input.Password"] = "Passw0rd-test",
        }));
        Assert.True(login.StatusCode == HttpStatusCode.Redirect, $"B answered {(int)login.StatusCode} to A's form");
        using var signedIn = await anonymousOnA.GetAsync("/api/history");
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode); // and B's sign-in cookie works on A
    }

    [Fact]
    public async Task A_signed_image_url_made_by_one_node_opens_on_another()
    {
        await using var database = await server.CreateDatabaseAsync();
        var a = await WebNode.StartAsync(database.ConnectionString);
        var shared = new Dictionary<string, string?>(NoJobs) { ["Storage:ImagesPath"] = a.ImagesPath };
        await using var nodes = new NodePair(a, await WebNode.StartAsync(database.ConnectionString, shared));

        var (_, key) = await nodes.A.CreateUserWithKeyAsync("bob");
        using var api = nodes.A.Client(key);
        using var generated = await api.PostAsJsonAsync("/v1/images/generations", new { prompt = "a", size = "64x64", quality = "low", response_format = "url" });
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
        using var json = JsonDocument.Parse(await generated.Content.ReadAsStringAsync());
        var url = new Uri(json.RootElement.GetProperty("data")[0].GetProperty("url").GetString()!);
        Assert.Equal(nodes.A.BaseAddress.Port, url.Port);

        using var anonymousOnB = nodes.B.Client(null);
        using var image = await anonymousOnB.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Keys_of_the_old_key_folder_are_imported_once_so_what_they_signed_stays_valid()
    {
        await using var database = await server.CreateDatabaseAsync();
        var first = new WebNode(database.ConnectionString, NoJobs);
        var second = new WebNode(database.ConnectionString, NoJobs);

        // An install of the old release: its key ring in the folder beside the SQLite file, and a payload it protected.
        var folder = new DirectoryInfo(Path.Combine(first.Folder, StudioDataProtection.KeysFolder));
        var old = DataProtectionProvider.Create(folder, builder => builder.SetApplicationName("WebStudio")).CreateProtector("tests.old-install");
        var payload = old.Protect("signed by the old release");
        var oldKeys = folder.GetFiles("key-*.xml").Select(f => Path.GetFileNameWithoutExtension(f.Name)).ToList();
        Assert.Single(oldKeys);
        CopyFolder(folder, new DirectoryInfo(Path.Combine(second.Folder, StudioDataProtection.KeysFolder)));

        await using var nodes = new NodePair(first, second);
        await first.InitializeAsync();
        Assert.Equal("signed by the old release", Protector(first).Unprotect(payload));

        // The second node finds the same key in its folder and in the database: nothing is added twice.
        await second.InitializeAsync();
        Assert.Equal("signed by the old release", Protector(second).Unprotect(payload));
        using var scope = first.Services.CreateScope();
        var stored = await scope.ServiceProvider.GetRequiredService<StudioDbContext>().DataProtectionKeys.AsNoTracking().Select(k => k.FriendlyName ?? "").ToListAsync();
        Assert.Equal(oldKeys, stored);
    }

    [Fact]
    public async Task Two_nodes_started_together_on_an_empty_database_make_one_key_ring_and_share_sign_ins()
    {
        await using var database = await server.CreateDatabaseAsync();
        var started = await Task.WhenAll(WebNode.StartAsync(database.ConnectionString, NoJobs), WebNode.StartAsync(database.ConnectionString, NoJobs));
        await using var nodes = new NodePair(started[0], started[1]);

        // Both nodes need a key at the same moment: each finds none and creates one.
        using var together = new Barrier(2);
        var payloads = await Task.WhenAll(new[] { nodes.A, nodes.B }.Select(node => Task.Run(() =>
        {
            var protector = node.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests.first-key");
            together.SignalAndWait(TimeSpan.FromSeconds(30));
            return protector.Protect("first");
        })));

        using (var scope = nodes.A.Services.CreateScope())
        {
            var keys = await scope.ServiceProvider.GetRequiredService<StudioDbContext>().DataProtectionKeys.AsNoTracking().CountAsync();
            Assert.Equal(1, keys);
        }

        // What each node protected opens on the other, and a sign-in made on A works on B.
        Assert.Equal("first", nodes.B.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests.first-key").Unprotect(payloads[0]));
        Assert.Equal("first", nodes.A.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests.first-key").Unprotect(payloads[1]));
        var alice = await StudioLogin.RegisterAsync(nodes.A, "alice");
        using var onB = Browser(nodes.B, alice.Cookies);
        using var history = await onB.GetAsync("/api/history");
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
    }

    [Fact]
    public async Task Two_nodes_that_both_find_no_key_and_both_create_one_store_only_one()
    {
        await using var database = await server.CreateDatabaseAsync();
        await using var a = KeyRingOnly(database.ConnectionString);
        await using var b = KeyRingOnly(database.ConnectionString);
        await using (var db = await a.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync())
        {
            StudioDatabase.MigrateAndConfigure(db);
        }

        // What each node's key ring does on its first use, in step: read the ring (empty), then create a key.
        using var together = new Barrier(2);
        var created = await Task.WhenAll(new[] { a, b }.Select(node => Task.Run(() =>
        {
            var keys = node.GetRequiredService<Microsoft.AspNetCore.DataProtection.KeyManagement.IKeyManager>();
            Assert.Empty(keys.GetAllKeys());
            together.SignalAndWait(TimeSpan.FromSeconds(30));
            var now = DateTimeOffset.UtcNow;
            return keys.CreateNewKey(now, now.AddDays(90)).KeyId;
        })));

        Assert.NotEqual(created[0], created[1]);
        using (var scope = a.CreateScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<StudioDbContext>().DataProtectionKeys.CountAsync());
        }

        // One ring: what A protects, B opens, and the other way round.
        var onA = a.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests.race");
        var onB = b.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests.race");
        Assert.Equal("from A", onB.Unprotect(onA.Protect("from A")));
        Assert.Equal("from B", onA.Unprotect(onB.Protect("from B")));
    }

    [Fact]
    public async Task A_node_whose_new_key_was_stamped_just_before_another_nodes_stored_key_stores_none()
    {
        await using var database = await server.CreateDatabaseAsync();
        await using var a = KeyRingOnly(database.ConnectionString);
        await using var b = KeyRingOnly(database.ConnectionString);
        await using (var db = await a.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync())
        {
            StudioDatabase.MigrateAndConfigure(db);
        }

        // B read the clock first but reaches the table second: its key would activate a moment before A's.
        var stampedByB = DateTimeOffset.UtcNow;
        var keysOfA = a.GetRequiredService<Microsoft.AspNetCore.DataProtection.KeyManagement.IKeyManager>();
        keysOfA.CreateNewKey(stampedByB.AddMilliseconds(40), stampedByB.AddDays(90));
        var keysOfB = b.GetRequiredService<Microsoft.AspNetCore.DataProtection.KeyManagement.IKeyManager>();
        keysOfB.CreateNewKey(stampedByB, stampedByB.AddDays(90));

        using (var scope = a.CreateScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<StudioDbContext>().DataProtectionKeys.CountAsync());
        }

        var onA = a.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests.skew");
        var onB = b.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests.skew");
        Assert.Equal("from B", onA.Unprotect(onB.Protect("from B")));
    }

    // A node's Data Protection as the web app registers it, on the shared database, without the rest of the web app.
    private static ServiceProvider KeyRingOnly(string connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Studio:Database"] = "Postgres",
            ["Studio:ConnectionString"] = connectionString,
            ["Studio:DatabasePath"] = Path.Combine(Path.GetTempPath(), $"no-legacy-keys-{Guid.NewGuid():N}", "studio.db"),
        }).Build();
        var services = new ServiceCollection().AddLogging();
        WebStudio.Studio.StudioCoreServices.AddStudioCore(services, configuration);
        services.AddStudioDataProtection();
        return services.BuildServiceProvider();
    }

    private static IDataProtector Protector(WebNode node) => node.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests.old-install");

    private static HttpClient Browser(StudioHost node, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = node.BaseAddress };

    private static void CopyFolder(DirectoryInfo from, DirectoryInfo to)
    {
        to.Create();
        foreach (var file in from.GetFiles())
        {
            file.CopyTo(Path.Combine(to.FullName, file.Name));
        }
    }
}
