using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Web.Security;

/// <summary>
/// The database key ring, which before its first read imports the keys of the old key folder that the database does
/// not have yet (matched by the file's name, which is the key's friendly name in both stores). The folder is left as
/// it was: a node that still runs the old release keeps working, and the import is idempotent.
/// </summary>
internal sealed class ImportingKeyRepository(IXmlRepository database, IServiceProvider services, DirectoryInfo legacyFolder, ILogger logger) : IXmlRepository
{
    private readonly Lock _gate = new();
    private bool _imported;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        ImportOnce();
        return database.GetAllElements();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ImportOnce();
        database.StoreElement(element, friendlyName);
    }

    private void ImportOnce()
    {
        lock (_gate)
        {
            if (_imported)
            {
                return;
            }

            if (legacyFolder.Exists)
            {
                Import();
            }

            _imported = true;
        }
    }

    private void Import()
    {
        var files = legacyFolder.GetFiles("*.xml");
        if (files.Length == 0)
        {
            return;
        }

        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
        var known = db.DataProtectionKeys.AsNoTracking().Select(k => k.FriendlyName).ToHashSet(StringComparer.Ordinal);
        var added = 0;
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file.Name);
            if (known.Contains(name))
            {
                continue;
            }

            var element = XElement.Load(file.FullName);
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = name, Xml = element.ToString(SaveOptions.DisableFormatting) });
            added++;
        }

        if (added > 0)
        {
            db.SaveChanges();
            logger.LogInformation("Imported {Count} Data Protection key(s) from {Folder} into the database: existing sign-ins and links stay valid", added, legacyFolder.FullName);
        }
    }
}
