using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Web.Security;

/// <summary>
/// Stores Data Protection keys one node at a time. Web nodes that start together on an empty database each find no
/// key and each create one: two key rings in one table, until every node has re-read it. Here a new key is stored
/// under a lock that every node takes (a PostgreSQL advisory lock, SQLite's write lock), and not at all when the
/// table already holds a key that is valid from the new one's activation on (within a minute): another node has just
/// made it. The
/// key manager then reads the table again and uses that key, so the nodes share one ring. Revocations, and keys
/// while any revocation is stored (which this does not weigh), are stored as they come.
/// </summary>
internal sealed class SerializedKeyCreation(IServiceProvider services, ILogger logger) : IXmlRepository
{
    // Any constant that no other advisory lock of the studio uses: "WSDPKEYS".
    private const long AdvisoryLock = 0x5753_4450_4B45_5953;

    // Nodes that race each stamp their new key "now", a few milliseconds apart, and the one that reads the clock first
    // may store second. A stored key that activates this little later still covers the new one: Data Protection's key
    // resolver already takes a key activated up to five minutes ahead (its server-to-server clock skew) as the default.
    private static readonly TimeSpan ActivationSkew = TimeSpan.FromMinutes(1);

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
        return db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToList()
            .Where(xml => !string.IsNullOrEmpty(xml))
            .Select(xml => XElement.Parse(xml!))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
        using var transaction = db.Database.BeginTransaction(); // SQLite: BEGIN IMMEDIATE, its write lock
        if (db.Database.IsNpgsql())
        {
            db.Database.ExecuteSql($"SELECT pg_advisory_xact_lock({AdvisoryLock})");
        }

        if (Activation(element) is { } activation)
        {
            var stored = db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToList()
                .Where(xml => !string.IsNullOrEmpty(xml))
                .Select(xml => XElement.Parse(xml!))
                .ToList();
            var covering = stored.All(e => e.Name != "revocation")
                ? stored.FirstOrDefault(e => Activation(e) <= activation + ActivationSkew && Expiration(e) > activation)
                : null;
            if (covering is not null)
            {
                logger.LogInformation("Data Protection key {Key} not stored: key {Existing}, just stored by another node, covers it", element.Attribute("id")?.Value, covering.Attribute("id")?.Value);
                return; // rolled back: nothing written
            }
        }

        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
        transaction.Commit();
    }

    private static DateTimeOffset? Activation(XElement element) => Date(element, "activationDate");

    private static DateTimeOffset? Expiration(XElement element) => Date(element, "expirationDate");

    // Only <key> elements carry these dates (as children, in round-trip form).
    private static DateTimeOffset? Date(XElement element, string name) =>
        element.Name == "key" && element.Element(name) is { } date
        && DateTimeOffset.TryParse(date.Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
            ? value
            : null;
}
